package dev.inboxpush.listener.badge;

import dev.inboxpush.model.PushKind;
import org.jspecify.annotations.Nullable;

/**
 * What one notification asks for.
 *
 * @param action push a badge, wake without a count, or nothing
 * @param kind the device contract's kind (for a push or wake)
 * @param inboxUnreadCount the Inbox's new unread count, when the notification carried one (0 is a
 *     count)
 * @param newMail whether the notification carried new mail (high priority)
 */
public record BadgeDecision(
    Action action, PushKind kind, @Nullable Integer inboxUnreadCount, boolean newMail) {

  /** What to send. */
  public enum Action {
    /** The Inbox count is known: send the badge (summed over the device's accounts). */
    BADGE,
    /**
     * Something changed but the count is unknown: a wake-up without a badge, throttled per device.
     */
    WAKE,
    /** Nothing for the device (heartbeats, other folders, item events alone). */
    NONE
  }

  static BadgeDecision none() {
    return new BadgeDecision(Action.NONE, PushKind.WAKE, null, false);
  }
}
