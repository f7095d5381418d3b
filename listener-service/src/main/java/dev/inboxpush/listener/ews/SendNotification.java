package dev.inboxpush.listener.ews;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One POST from Exchange: its response messages in order (normally one; the schema allows several).
 *
 * @param serverVersion the {@code RequestServerVersion/@Version} header value, if sent (e.g. {@code
 *     Exchange2016}); informational only
 * @param messages the response messages
 */
public record SendNotification(@Nullable String serverVersion, List<NotificationMessage> messages) {

  public SendNotification {
    messages = List.copyOf(messages);
  }
}
