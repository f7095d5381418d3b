package dev.inboxpush.listener.ews;

import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.Watermark;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something changed in the mailbox: every event kind except the heartbeat.
 *
 * @param kind which event
 * @param watermark the event's watermark, if sent
 * @param timeStamp when it happened, if sent
 * @param target the item or folder it concerns (for moves and copies: the new one)
 * @param parentFolderId the folder holding the target (for moves and copies: the new parent)
 * @param unreadCount the folder's unread count: only folder {@link EventKind#MODIFIED} events carry
 *     it, and even they may not; absent is not 0
 * @param oldTarget for moves and copies: the source item or folder
 * @param oldParentFolderId for moves and copies: the folder it came from
 */
public record ChangeEvent(
    EventKind kind,
    @Nullable Watermark watermark,
    @Nullable Instant timeStamp,
    ObjectRef target,
    @Nullable FolderId parentFolderId,
    @Nullable Integer unreadCount,
    @Nullable ObjectRef oldTarget,
    @Nullable FolderId oldParentFolderId)
    implements MailboxEvent {

  public ChangeEvent {
    if (kind == EventKind.STATUS) {
      throw new IllegalArgumentException("a status event is a StatusEvent");
    }
  }

  /** Whether this is a folder event about {@code folder} itself (not an item in it). */
  public boolean concernsFolder(FolderId folder) {
    return target.folder() && target.id().equals(folder.value());
  }
}
