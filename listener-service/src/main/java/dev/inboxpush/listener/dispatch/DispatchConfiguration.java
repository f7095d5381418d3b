package dev.inboxpush.listener.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dispatcher the listener uses: a router over the platform dispatchers the sub-packages
 * contribute as {@link PlatformDispatcher} beans. A platform without one (no credentials
 * configured) answers configuration errors, and its badges wait, pending.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DispatchProperties.class)
class DispatchConfiguration {

  @Bean
  Dispatcher dispatcher(List<PlatformDispatcher> platforms) {
    return new PlatformRouter(platforms);
  }

  @Bean
  DispatchMetrics dispatchMetrics(MeterRegistry registry) {
    return new DispatchMetrics(registry);
  }

  /**
   * The start-up warm-up of every lane ({@link WarmUp}). A runner, because Spring Boot calls its
   * runners after the context has started and before it first reports the instance ready.
   */
  @Bean
  ApplicationRunner dispatchWarmUp(
      List<PlatformDispatcher> platforms, DispatchProperties properties, DispatchMetrics metrics) {
    WarmUp warmUp = new WarmUp(platforms, properties.warmUp().deadline(), metrics);
    return arguments -> warmUp.run();
  }

  /** Every lane's outage circuit and every app's dead-token valve, their states published. */
  @Bean
  CircuitBreakerRegistry dispatchCircuitBreakers(MeterRegistry registry) {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    return breakers;
  }
}
