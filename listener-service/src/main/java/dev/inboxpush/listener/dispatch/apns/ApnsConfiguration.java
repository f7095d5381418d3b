package dev.inboxpush.listener.dispatch.apns;

import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The APNs dispatcher, from {@code inboxpush.apns.*}; closed, draining, on shutdown. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApnsProperties.class)
class ApnsConfiguration {

  @Bean(destroyMethod = "close")
  ApnsDispatcher apnsDispatcher(
      ApnsProperties properties,
      DispatchProperties guards,
      CircuitBreakerRegistry dispatchCircuitBreakers,
      DispatchMetrics metrics,
      Clock clock) {
    return ApnsDispatcher.start(properties, guards, dispatchCircuitBreakers, metrics, clock);
  }

  /**
   * pushy's Micrometer listener names its meters {@code notifications.*} and {@code connections.*};
   * under our tag {@code platform=apns} they become {@code pushy.notifications.*} and {@code
   * pushy.connections.*}, so that nobody mistakes them for someone else's.
   */
  @Bean
  MeterFilter pushyMeterNames() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        boolean pushy = name.startsWith("notifications.") || name.startsWith("connections.");
        return pushy && "apns".equals(id.getTag("platform")) ? id.withName("pushy." + name) : id;
      }
    };
  }
}
