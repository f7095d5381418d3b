package dev.inboxpush.registration.problem;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;

/** The rejection counters, the problem writer the filters use, and the filters' error edge. */
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

  @Bean
  FilterErrors filterErrors(ProblemWriter problems) {
    return new FilterErrors(problems);
  }
}
