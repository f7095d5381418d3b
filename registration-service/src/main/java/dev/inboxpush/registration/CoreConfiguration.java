package dev.inboxpush.registration;

import dev.inboxpush.model.Region;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Service-wide values: the region this instance serves, and the clock (tests replace it). */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

  /**
   * {@code inboxpush.region}: one of {@code us-east-1}, {@code eu-west-1}, {@code ap-southeast-1}.
   * Required; start-up stops with a message naming the setting when it is missing or unknown.
   */
  @Bean
  Region region(@Value("${inboxpush.region:}") String code) {
    return Region.fromCode("inboxpush.region", code);
  }

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
