package dev.inboxpush.listener.ews;

import dev.inboxpush.model.Watermark;
import org.jspecify.annotations.Nullable;

/**
 * A heartbeat: the subscription is alive and nothing happened.
 *
 * @param watermark the current watermark (servers refresh it even without events)
 */
public record StatusEvent(@Nullable Watermark watermark) implements MailboxEvent {

  @Override
  public EventKind kind() {
    return EventKind.STATUS;
  }
}
