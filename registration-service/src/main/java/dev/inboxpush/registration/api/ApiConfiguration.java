package dev.inboxpush.registration.api;

import dev.inboxpush.store.dynamo.DynamoStore;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API's settings and its readiness: down while the table cannot be reached. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class ApiConfiguration {

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
