package dev.inboxpush.autoconfigure;

import dev.inboxpush.model.Region;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;

/**
 * The region this instance serves ({@code inboxpush.region}, required) and the clock every rule
 * reads (the system's UTC clock, unless a test supplies its own). An unknown region stops start-up
 * with {@code inboxpush.region: must be one of ...}; a missing one with Spring Boot's report that
 * {@code inboxpush.region} must not be null.
 */
@AutoConfiguration
@EnableConfigurationProperties(CoreProperties.class)
public class CoreAutoConfiguration {

  /** Binds {@code us-east-1} and its kin by their AWS code, with the model's own message. */
  @Bean
  @ConfigurationPropertiesBinding
  static Converter<String, Region> regionCode() {
    return code -> Region.fromCode("inboxpush.region", code);
  }

  @Bean
  Region region(CoreProperties properties) {
    return properties.region();
  }

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
