package dev.inboxpush.listener.ews;

import dev.inboxpush.model.Watermark;
import org.jspecify.annotations.Nullable;

/** One event of a notification, in mailbox order. */
public sealed interface MailboxEvent permits StatusEvent, ChangeEvent {

  EventKind kind();

  /** The event's watermark; absent when the server left it out (streaming servers do). */
  @Nullable Watermark watermark();
}
