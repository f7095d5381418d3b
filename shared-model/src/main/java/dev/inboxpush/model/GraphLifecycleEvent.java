package dev.inboxpush.model;

import java.util.Optional;

/**
 * A Microsoft Graph lifecycle event, as Graph names it in a lifecycle notification's {@code
 * lifecycleEvent}. Listeners record the last one per registration; the registration API shows it in
 * the status, so that the app renews or re-creates its subscription.
 */
public enum GraphLifecycleEvent {
  /** The subscription or its token is about to expire, or a permission was revoked: renew it. */
  REAUTHORIZATION_REQUIRED("reauthorizationRequired", "reauthorization-required"),
  /** Graph removed the subscription (password reset, account disabled...): create a new one. */
  SUBSCRIPTION_REMOVED("subscriptionRemoved", "subscription-removed"),
  /** Graph could not deliver some notifications: the app must resynchronize. */
  MISSED("missed", "missed");

  private final String graphName;
  private final String statusName;

  GraphLifecycleEvent(String graphName, String statusName) {
    this.graphName = graphName;
    this.statusName = statusName;
  }

  /** The name in Graph's payloads, also the value stored. */
  public String graphName() {
    return graphName;
  }

  /** The name in the registration API's status (lower-case, hyphenated like the others). */
  public String statusName() {
    return statusName;
  }

  /** The event Graph calls {@code name}, if it is one we know. */
  public static Optional<GraphLifecycleEvent> fromGraph(String name) {
    for (GraphLifecycleEvent event : values()) {
      if (event.graphName.equals(name)) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }
}
