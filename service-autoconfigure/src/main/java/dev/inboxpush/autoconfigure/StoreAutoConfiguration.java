package dev.inboxpush.autoconfigure;

import dev.inboxpush.model.Region;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationIdentities;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.TableCall;
import dev.inboxpush.store.dynamo.DynamoStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The shared store, opened at start-up from {@link DynamoDbProperties} in this instance's region: a
 * missing or mismatched table stops start-up with a message naming the fix; the client is closed on
 * shutdown; its calls are counted by {@link TableCallMetrics} when the service has a meter
 * registry; new registrations take their ids from the service's {@link RegistrationIdentities} bean
 * (the registration API's), random ones without it. Also the table's health indicator, {@code
 * dynamodb}, which each service puts into its readiness group: down while a DescribeTable does not
 * answer within a second.
 */
@AutoConfiguration(after = CoreAutoConfiguration.class)
@EnableConfigurationProperties(DynamoDbProperties.class)
public class StoreAutoConfiguration {

  @Bean(destroyMethod = "close")
  DynamoStore dynamoStore(
      DynamoDbProperties properties,
      Region region,
      Clock clock,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<RegistrationIdentities> identities) {
    MeterRegistry registry = meterRegistry.getIfAvailable();
    TableCall.Listener calls =
        registry == null ? TableCall.Listener.NONE : new TableCallMetrics(registry);
    return DynamoStore.open(
        properties.toStoreSettings(),
        region,
        clock,
        calls,
        identities.getIfAvailable(() -> RegistrationIdentities.RANDOM));
  }

  @Bean
  RegistrationStore registrationStore(DynamoStore store) {
    return store.registrations();
  }

  @Bean
  ListenerStateStore listenerStateStore(DynamoStore store) {
    return store.listenerState();
  }

  @Bean
  ReactiveHealthIndicator dynamodb(DynamoStore store) {
    return () ->
        store
            .isReachable(Duration.ofSeconds(1))
            .map(
                up ->
                    up
                        ? Health.up().build()
                        : Health.down().withDetail("table", "unreachable").build());
  }
}
