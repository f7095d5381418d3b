package dev.inboxpush.listener.badge;

import dev.inboxpush.listener.ews.ChangeEvent;
import dev.inboxpush.listener.ews.EventKind;
import dev.inboxpush.listener.ews.MailboxEvent;
import dev.inboxpush.listener.ews.Notification;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.PushKind;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The badge rules (docs/architecture.md, "Badge rules") as a pure function of one notification and
 * the registration's Inbox FolderId:
 *
 * <ul>
 *   <li>The badge is the {@code UnreadCount} of the newest folder {@code ModifiedEvent} whose
 *       FolderId is the Inbox; other folders never set it. 0 is a badge; a missing count is not 0.
 *   <li>An Inbox folder event without a count: a wake-up of kind {@code unread-changed}.
 *   <li>New mail without a count: a {@code new-mail} wake-up.
 *   <li>Item events without an Inbox folder event, heartbeats, other folders: nothing.
 *   <li>Priority is high exactly when the notification carried a {@code NewMailEvent}.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class BadgeRules {

  private BadgeRules() {}

  public static BadgeDecision decide(Notification notification, @Nullable FolderId inbox) {
    boolean newMail = false;
    Integer count = null;
    boolean inboxChanged = false;
    for (MailboxEvent event : notification.events()) {
      if (!(event instanceof ChangeEvent change)) {
        continue;
      }
      if (change.kind() == EventKind.NEW_MAIL) {
        newMail = true;
      }
      if (inbox != null && change.kind() == EventKind.MODIFIED && change.concernsFolder(inbox)) {
        inboxChanged = true;
        // Events are in mailbox order: the last one is the newest. If it has no count, the count
        // is unknown, whatever an earlier event said.
        count = change.unreadCount();
      }
    }
    PushKind kind = newMail ? PushKind.NEW_MAIL : PushKind.UNREAD_CHANGED;
    if (count != null) {
      return new BadgeDecision(BadgeDecision.Action.BADGE, kind, count, newMail);
    }
    if (newMail || inboxChanged) {
      return new BadgeDecision(BadgeDecision.Action.WAKE, kind, null, newMail);
    }
    return BadgeDecision.none();
  }

  /** The Inbox FolderId to learn from a notification: the parent of its first NewMailEvent. */
  public static Optional<FolderId> inboxFromNewMail(Notification notification) {
    for (MailboxEvent event : notification.events()) {
      if (event instanceof ChangeEvent change
          && change.kind() == EventKind.NEW_MAIL
          && change.parentFolderId() != null) {
        return Optional.of(change.parentFolderId());
      }
    }
    return Optional.empty();
  }
}
