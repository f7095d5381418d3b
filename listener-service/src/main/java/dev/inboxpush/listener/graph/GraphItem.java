package dev.inboxpush.listener.graph;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One item of a Graph notification collection, reduced to what the answer rules need. Every field
 * is as sent, unverified, and absent when the item did not carry it as a string (a missing or
 * mistyped field makes the item invalid for the rules, not the whole POST).
 *
 * @param subscriptionId the Graph subscription the item is about
 * @param clientState the secret Graph echoes from the subscription; compared, never logged
 * @param changeType {@code created}, {@code updated} or {@code deleted} for a change notification
 * @param lifecycleEvent {@code reauthorizationRequired}, {@code subscriptionRemoved} or {@code
 *     missed} for a lifecycle notification (which has no change type)
 * @param subscriptionExpiresAt the item's {@code subscriptionExpirationDateTime}, when readable
 */
public record GraphItem(
    @Nullable String subscriptionId,
    @Nullable String clientState,
    @Nullable String changeType,
    @Nullable String lifecycleEvent,
    @Nullable Instant subscriptionExpiresAt) {

  /** A lifecycle notification: Graph documents branching on {@code lifecycleEvent} per item. */
  public boolean isLifecycle() {
    return lifecycleEvent != null;
  }

  /**
   * Whether it is a change Graph documents: {@code created}, {@code updated} or {@code deleted}.
   */
  public boolean isChange() {
    return "created".equals(changeType)
        || "updated".equals(changeType)
        || "deleted".equals(changeType);
  }

  /** Whether the change is a new message ({@code created}; with a filter, marked unread too). */
  public boolean isCreated() {
    return "created".equals(changeType);
  }

  @Override
  public String toString() {
    // Never the secret.
    return "GraphItem[changeType="
        + changeType
        + ", lifecycleEvent="
        + lifecycleEvent
        + ", clientState="
        + (clientState == null ? "absent" : "present")
        + "]";
  }
}
