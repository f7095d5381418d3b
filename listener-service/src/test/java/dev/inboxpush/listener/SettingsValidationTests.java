package dev.inboxpush.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.answer.AnswerProperties;
import dev.inboxpush.listener.callback.CallbackProperties;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.apns.ApnsProperties;
import dev.inboxpush.listener.dispatch.fcm.FcmProperties;
import dev.inboxpush.listener.lookup.LookupProperties;
import dev.inboxpush.listener.outbox.OutboxProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The listener's settings are validated when bound: out of range stops start-up naming the key. */
class SettingsValidationTests {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({
    AnswerProperties.class,
    LookupProperties.class,
    OutboxProperties.class,
    DispatchProperties.class,
    ApnsProperties.class,
    FcmProperties.class,
    CallbackProperties.class
  })
  static class AllSettings {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(AllSettings.class);

  @Test
  void theDefaultsBindAndAreTheDocumentedOnes() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(AnswerProperties.class).pushBudget())
              .isEqualTo(Duration.ofSeconds(2));
          assertThat(context.getBean(DispatchProperties.class).circuit().failureRate())
              .isEqualTo(50);
          assertThat(context.getBean(OutboxProperties.class).maxAge())
              .isEqualTo(Duration.ofHours(6));
          assertThat(context.getBean(DispatchProperties.class).warmUp().deadline())
              .isEqualTo(Duration.ofSeconds(5));
        });
  }

  @Test
  void zeroTurnsTheWarmUpOffAndIsAValidDeadline() {
    runner
        .withPropertyValues("inboxpush.dispatch.warm-up.deadline=0")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(DispatchProperties.class).warmUp().deadline()).isZero();
            });
  }

  @Test
  void aValueOutOfRangeStopsStartUpNamingTheKey() {
    // setting | the record's prefix | the field the report names
    String cases =
        """
        inboxpush.listener.answer.push-budget=5ms          | inboxpush.listener.answer  | pushBudget
        inboxpush.listener.answer.push-budget=31s          | inboxpush.listener.answer  | pushBudget
        inboxpush.listener.lookup.cache-size=-1            | inboxpush.listener.lookup  | cacheSize
        inboxpush.listener.outbox.concurrency=0            | inboxpush.listener.outbox  | concurrency
        inboxpush.listener.outbox.interval=1ms             | inboxpush.listener.outbox  | interval
        inboxpush.dispatch.circuit.failure-rate=101        | inboxpush.dispatch | circuit.failureRate
        inboxpush.dispatch.dead-token-valve.trial-pushes=0 | inboxpush.dispatch | deadTokenValve.trialPushes
        inboxpush.dispatch.dead-token-valve.window=100ms   | inboxpush.dispatch | deadTokenValve.window
        inboxpush.dispatch.warm-up.deadline=-1s            | inboxpush.dispatch | warmUp.deadline
        inboxpush.dispatch.warm-up.deadline=61s            | inboxpush.dispatch | warmUp.deadline
        inboxpush.apns.window=0                            | inboxpush.apns             | window
        inboxpush.apns.expiration=31d                      | inboxpush.apns             | expiration
        inboxpush.fcm.apps-per-project=0                   | inboxpush.fcm              | appsPerProject
        inboxpush.fcm.ttl=29d                              | inboxpush.fcm              | ttl
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
