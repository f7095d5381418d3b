package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.badge.WakeThrottle;
import dev.inboxpush.listener.callback.CallbackProcessor;
import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.listener.lookup.LookupProperties;
import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.listener.outbox.OutboxProperties;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires lookup, answer rules and the redelivery worker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  AnswerProperties.class,
  LookupProperties.class,
  OutboxProperties.class
})
class AnswerConfiguration {

  @Bean
  RegistrationLookup registrationLookup(
      RegistrationStore registrations,
      LookupProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new RegistrationLookup(registrations, properties, clock, meters);
  }

  @Bean
  CallbackProcessor answerRules(
      RegistrationLookup lookup,
      RegistrationStore registrations,
      ListenerStateStore states,
      Dispatcher dispatcher,
      AnswerProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new AnswerRules(
        lookup,
        registrations,
        states,
        dispatcher,
        new WakeThrottle(properties.wakeThrottle(), clock, 1_000_000),
        properties,
        clock,
        new AnswerMetrics(meters));
  }

  @Bean
  RedeliveryWorker redeliveryWorker(
      RegistrationStore registrations,
      ListenerStateStore states,
      Dispatcher dispatcher,
      OutboxProperties outbox,
      AnswerProperties answer,
      Clock clock,
      MeterRegistry meters) {
    return new RedeliveryWorker(
        registrations, states, dispatcher, outbox, answer.pushBudget(), clock, meters);
  }
}
