package dev.inboxpush.listener.answer;

import dev.inboxpush.model.GraphLifecycleEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics of the Graph rules, per item of a notification POST; every tag from a bounded set, every
 * series registered at construction.
 *
 * <ul>
 *   <li>{@value #ITEMS}{@code {type, outcome}}: items by {@code type} ({@code change}, {@code
 *       lifecycle}) and {@code outcome}: {@code accepted}, or why it was dropped ({@link Drop}).
 *   <li>{@value #LIFECYCLE_EVENTS}{@code {event}}: accepted lifecycle events, by Graph's name.
 * </ul>
 *
 * Thread-safe.
 */
final class GraphItemMetrics {

  static final String ITEMS = "inboxpush.listener.graph.items";
  static final String LIFECYCLE_EVENTS = "inboxpush.listener.graph.lifecycle.events";

  /** Why an item was dropped (never pushed, nothing written for it). */
  enum Drop {
    /** Its clientState is not the registration's secret: not from the app's subscription. */
    CLIENT_STATE,
    /** Its subscription is not the one the registration is bound to (or took first). */
    UNKNOWN_SUBSCRIPTION,
    /** No registration has the URL's token (deleted, expired, never existed). */
    UNKNOWN_REGISTRATION,
    /** The URL's token is an EWS registration's. */
    WRONG_KIND,
    /** No subscriptionId as a string. */
    INVALID,
    /** A lifecycle event this version does not know. */
    UNKNOWN_EVENT;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Map<String, Counter> items = new HashMap<>();
  private final Map<GraphLifecycleEvent, Counter> events = new EnumMap<>(GraphLifecycleEvent.class);

  GraphItemMetrics(MeterRegistry registry) {
    for (String type : new String[] {"change", "lifecycle"}) {
      register(registry, type, "accepted");
      for (Drop drop : Drop.values()) {
        register(registry, type, drop.tag());
      }
    }
    for (GraphLifecycleEvent event : GraphLifecycleEvent.values()) {
      events.put(
          event,
          Counter.builder(LIFECYCLE_EVENTS)
              .description("Graph lifecycle events accepted, by event")
              .tag("event", event.graphName())
              .register(registry));
    }
  }

  private void register(MeterRegistry registry, String type, String outcome) {
    items.put(
        type + "/" + outcome,
        Counter.builder(ITEMS)
            .description("items of Graph notification POSTs, by type and outcome")
            .tag("type", type)
            .tag("outcome", outcome)
            .register(registry));
  }

  void accepted(boolean lifecycle) {
    items.get(type(lifecycle) + "/accepted").increment();
  }

  void dropped(boolean lifecycle, Drop drop) {
    items.get(type(lifecycle) + "/" + drop.tag()).increment();
  }

  void lifecycle(GraphLifecycleEvent event) {
    events.get(event).increment();
  }

  private static String type(boolean lifecycle) {
    return lifecycle ? "lifecycle" : "change";
  }
}
