package dev.inboxpush.registration.problem;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;

/** The rejection counters and the problem writer the filters use. */
@Configuration(proxyBeanMethods = false)
class ProblemConfiguration {

  @Bean
  RejectionMetrics rejectionMetrics(MeterRegistry meters) {
    return new RejectionMetrics(meters);
  }

  @Bean
  ProblemWriter problemWriter(ServerCodecConfigurer codecs, RejectionMetrics metrics) {
    return new ProblemWriter(codecs, metrics);
  }
}
