package dev.inboxpush.listener.dispatch;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dispatcher the listener uses. Until the APNs and FCM dispatchers exist, no platform has one:
 * every push ends as a configuration error and its badge waits, pending, for them.
 */
@Configuration(proxyBeanMethods = false)
class DispatchConfiguration {

  @Bean
  Dispatcher dispatcher() {
    return new PlatformDispatcher(Map.of());
  }
}
