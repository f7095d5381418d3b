package dev.inboxpush.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.registration.api.ApiProperties;
import dev.inboxpush.registration.ratelimit.RateLimitProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The registration service's settings are validated when bound, naming the key. */
class SettingsValidationTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({ApiProperties.class, RateLimitProperties.class})
  static class AllSettings {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(AllSettings.class)
          .withPropertyValues("inboxpush.registration.listener-base-url=https://listener.example");

  @Test
  void theDefaultsBindAndAreTheDocumentedOnes() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ApiProperties.class).lifetime())
              .isEqualTo(Duration.ofDays(30));
          assertThat(context.getBean(RateLimitProperties.class).perCaller()).isEqualTo(60);
        });
  }

  @Test
  void aValueOutOfRangeStopsStartUpNamingTheKey() {
    // setting | the record's prefix | the field the report names
    String cases =
        """
        inboxpush.registration.lifetime=30m                | inboxpush.registration | lifetime
        inboxpush.registration.lifetime=401d               | inboxpush.registration | lifetime
        inboxpush.registration.rate-limit.per-caller=0     | inboxpush.registration.rate-limit | perCaller
        inboxpush.registration.rate-limit.period=0s        | inboxpush.registration.rate-limit | period
        """;
    cases
        .lines()
        .forEach(
            line -> {
              String[] columns = line.split("\\|");
              String setting = columns[0].trim();
              runner
                  .withPropertyValues(setting)
                  .run(
                      context ->
                          assertThat(context)
                              .as(setting)
                              .getFailure()
                              .hasStackTraceContaining("prefix=" + columns[1].trim() + ",")
                              .hasStackTraceContaining("Field error")
                              .hasStackTraceContaining("'" + columns[2].trim() + "'"));
            });
  }
}
