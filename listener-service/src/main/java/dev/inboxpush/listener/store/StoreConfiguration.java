package dev.inboxpush.listener.store;

import dev.inboxpush.model.Region;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.dynamo.DynamoStore;
import java.time.Clock;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The shared store: {@code inboxpush.dynamodb.*} bound into {@link StoreSettings} (documented
 * there), opened at start-up. A missing or mismatched table stops start-up with a message naming
 * the fix.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  @Bean(destroyMethod = "close")
  DynamoStore dynamoStore(Environment environment, Region region, Clock clock) {
    StoreSettings settings =
        Binder.get(environment).bindOrCreate("inboxpush.dynamodb", StoreSettings.class);
    return DynamoStore.open(settings, region, clock);
  }

  @Bean
  RegistrationStore registrationStore(DynamoStore store) {
    return store.registrations();
  }

  @Bean
  ListenerStateStore listenerStateStore(DynamoStore store) {
    return store.listenerState();
  }
}
