package dev.inboxpush.listener.answer;

import dev.inboxpush.listener.badge.DeviceBadge;
import dev.inboxpush.listener.badge.WakeThrottle;
import dev.inboxpush.listener.callback.CallbackProcessor;
import dev.inboxpush.listener.callback.GraphProcessor;
import dev.inboxpush.listener.callback.GraphProperties;
import dev.inboxpush.listener.delivery.DeliveryMetrics;
import dev.inboxpush.listener.delivery.PushDelivery;
import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.listener.lookup.LookupProperties;
import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.listener.lookup.ReplicationAllowance;
import dev.inboxpush.listener.outbox.OutboxProperties;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires what answers a POST and what redelivers later: the lookup cache, the one delivery path all
 * use, the wake-up throttle both protocols share, the EWS answer rules, the Graph rules and the
 * redelivery worker.
 */
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

  /** Sightings of an Unsubscribe's evidence: at most this many are remembered. */
  static final int MAX_SIGHTINGS = 100_000;

  /** One per instance: the answer rules and the delivery path wait out the same allowance. */
  @Bean
  ReplicationAllowance replicationAllowance(AnswerProperties properties, Clock clock) {
    return new ReplicationAllowance(properties.replicationAllowance(), clock, MAX_SIGHTINGS);
  }

  @Bean
  PushDelivery pushDelivery(
      ReplicationAllowance allowance,
      RegistrationLookup lookup,
      RegistrationStore registrations,
      ListenerStateStore states,
      Dispatcher dispatcher,
      AnswerProperties answer,
      OutboxProperties outbox,
      Clock clock,
      MeterRegistry meters) {
    return new PushDelivery(
        lookup,
        registrations,
        states,
        dispatcher,
        answer.pushBudget(),
        outbox.backoff(),
        clock,
        new DeliveryMetrics(meters),
        allowance);
  }

  /** One throttle per instance for both paths: a device woken by EWS or Graph is woken once. */
  @Bean
  WakeCoalescing wakeCoalescing(
      PushDelivery delivery, ListenerStateStore states, AnswerProperties properties, Clock clock) {
    return new WakeCoalescing(
        new WakeThrottle(properties.wakeThrottle(), clock, 1_000_000), delivery, states);
  }

  @Bean
  GraphProcessor graphRules(
      ReplicationAllowance allowance,
      RegistrationLookup lookup,
      ListenerStateStore states,
      PushDelivery delivery,
      WakeCoalescing wakes,
      GraphProperties graph,
      Clock clock,
      MeterRegistry meters) {
    return new GraphRules(
        allowance,
        lookup,
        states,
        delivery,
        wakes,
        graph.pushBudget(),
        clock,
        new GraphItemMetrics(meters));
  }

  @Bean
  CallbackProcessor answerRules(
      ReplicationAllowance allowance,
      RegistrationLookup lookup,
      RegistrationStore registrations,
      ListenerStateStore states,
      PushDelivery delivery,
      WakeCoalescing wakes,
      Clock clock,
      MeterRegistry meters) {
    AnswerMetrics metrics = new AnswerMetrics(meters);
    NotificationRules rules =
        new NotificationRules(
            states, new DeviceBadge(registrations, states), delivery, wakes, clock, metrics);
    return new AnswerRules(lookup, registrations, states, rules, metrics, allowance);
  }

  @Bean
  RedeliveryWorker redeliveryWorker(
      RegistrationStore registrations,
      ListenerStateStore states,
      PushDelivery delivery,
      OutboxProperties outbox,
      Clock clock,
      MeterRegistry meters) {
    return new RedeliveryWorker(registrations, states, delivery, outbox, clock, meters);
  }
}
