package dev.inboxpush.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.Region;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.time.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The shared auto-configuration as each service gets it: bound and validated settings, the region
 * and clock, the store opened against dynalite, and the table's health.
 */
class ServiceAutoConfigurationIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(CoreAutoConfiguration.class, StoreAutoConfiguration.class));

  private ApplicationContextRunner onDynalite() {
    return runner.withPropertyValues(
        DynaliteProperties.forTable("autoconfigure", Dynalite.shared()).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toArray(String[]::new));
  }

  @Test
  void opensTheStoreWithTheDocumentedDefaultsAndReportsTheTableUp() {
    onDynalite()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Region.class)).isEqualTo(Region.EU_WEST_1);
              assertThat(context).hasSingleBean(DynamoStore.class);
              assertThat(context).hasSingleBean(RegistrationStore.class);
              assertThat(context).hasSingleBean(ListenerStateStore.class);
              assertThat(context.getBean(Clock.class)).isEqualTo(Clock.systemUTC());
              DynamoDbProperties settings = context.getBean(DynamoDbProperties.class);
              assertThat(settings.apiCallTimeout()).isEqualTo(Duration.ofSeconds(2));
              assertThat(settings.maxConcurrency()).isEqualTo(256);
              assertThat(settings.pendingShards()).isEqualTo(8);
              assertThat(settings.listenerStateRetention()).isEqualTo(Duration.ofDays(45));
              Health health =
                  context
                      .getBean("dynamodb", ReactiveHealthIndicator.class)
                      .health()
                      .block(TIMEOUT);
              assertThat(health.getStatus()).isEqualTo(Status.UP);
            });
  }

  @Test
  void aClockOfTheServiceOrTestWinsOverTheSystemClock() {
    MutableClock clock = MutableClock.startingAt("2026-12-01T00:00:00Z");
    onDynalite()
        .withBean(Clock.class, () -> clock)
        .run(context -> assertThat(context.getBean(Clock.class)).isSameAs(clock));
  }

  @Test
  void anUnknownRegionStopsStartUpWithTheModelsMessage() {
    runner
        .withPropertyValues("inboxpush.region=mars-north-1")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageStartingWith("inboxpush.region: must be one of"));
  }

  @Test
  void aMissingRegionStopsStartUpNamingTheKey() {
    runner.run(
        context ->
            assertThat(context)
                .getFailure()
                .hasStackTraceContaining("inboxpush")
                .hasStackTraceContaining("region")
                .hasStackTraceContaining("must not be null"));
  }

  @Test
  void settingsOutOfRangeStopStartUpNamingTheKey() {
    String[][] cases = {
      {"inboxpush.dynamodb.pending-shards=65", "pendingShards", "less than or equal to 64"},
      {"inboxpush.dynamodb.pending-shards=0", "pendingShards", "greater than or equal to 1"},
      {"inboxpush.dynamodb.max-concurrency=0", "maxConcurrency", "greater than or equal to 1"},
      {"inboxpush.dynamodb.table-name=x", "tableName", "must match"},
      {"inboxpush.dynamodb.api-call-timeout=1ms", "apiCallTimeout", "longer than or equal to"},
      {"inboxpush.dynamodb.listener-state-retention=5m", "listenerStateRetention", "longer than"}
    };
    for (String[] bad : cases) {
      runner
          .withPropertyValues("inboxpush.region=eu-west-1", bad[0])
          .run(
              context ->
                  assertThat(context)
                      .as(bad[0])
                      .getFailure()
                      .hasStackTraceContaining("inboxpush.dynamodb")
                      .hasStackTraceContaining(bad[1])
                      .hasStackTraceContaining(bad[2]));
    }
  }

  @Test
  void theConfigurationProcessorDescribesEveryKey() throws IOException {
    StringBuilder metadata = new StringBuilder();
    for (URL url :
        Collections.list(
            getClass()
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      try (InputStream in = url.openStream()) {
        metadata.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(metadata)
        .contains("\"inboxpush.region\"")
        .contains("\"inboxpush.dynamodb.table-name\"")
        .contains("\"inboxpush.dynamodb.pending-shards\"")
        .contains("\"inboxpush.dynamodb.listener-state-retention\"");
  }
}
