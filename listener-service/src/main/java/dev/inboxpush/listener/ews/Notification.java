package dev.inboxpush.listener.ews;

import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Events of one subscription.
 *
 * @param subscriptionId whose events these are
 * @param previousWatermark the watermark of the last event Exchange believes we have; a gap when it
 *     differs from ours
 * @param moreEvents whether another POST follows at once with more events (absent means false)
 * @param events the events in mailbox order; may be empty
 */
public record Notification(
    SubscriptionId subscriptionId,
    @Nullable Watermark previousWatermark,
    boolean moreEvents,
    List<MailboxEvent> events)
    implements NotificationMessage {

  public Notification {
    events = List.copyOf(events);
  }

  /** The watermark of the newest event that carries one. */
  public Optional<Watermark> newestWatermark() {
    for (int i = events.size() - 1; i >= 0; i--) {
      Watermark watermark = events.get(i).watermark();
      if (watermark != null) {
        return Optional.of(watermark);
      }
    }
    return Optional.empty();
  }
}
