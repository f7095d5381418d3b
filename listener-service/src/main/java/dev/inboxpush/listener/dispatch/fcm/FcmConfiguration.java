package dev.inboxpush.listener.dispatch.fcm;

import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FCM dispatcher, from {@code inboxpush.fcm.*}; closed, draining, on shutdown. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FcmProperties.class)
class FcmConfiguration {

  @Bean(destroyMethod = "close")
  FcmDispatcher fcmDispatcher(
      FcmProperties properties,
      DispatchProperties guards,
      CircuitBreakerRegistry dispatchCircuitBreakers,
      DispatchMetrics metrics,
      Clock clock) {
    return FcmDispatcher.start(properties, guards, dispatchCircuitBreakers, metrics, clock);
  }
}
