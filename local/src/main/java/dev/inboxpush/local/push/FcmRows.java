package dev.inboxpush.local.push;

import dev.inboxpush.model.DeviceContract;
import dev.inboxpush.testsupport.fcm.FcmRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns what the fake FCM received into an inspector row: the badge from the data value {@code
 * unread}, the kind from {@code kind} ({@link DeviceContract}), {@code android.priority} and {@code
 * android.collapse_key}, and FCM's error code when rejected ({@code UNREGISTERED}, {@code
 * INVALID_ARGUMENT}, or Google's status for answers without one, such as {@code UNAUTHENTICATED}).
 * Called on the FCM event loop; never blocks.
 */
final class FcmRows {

  /** The platform name in rows and paths. */
  static final String PLATFORM = "fcm";

  private final PushLog log;

  FcmRows(PushLog log) {
    this.log = log;
  }

  void record(FcmRequest request) {
    Map<String, @Nullable Object> data = request.data();
    log.record(
        PLATFORM,
        request.token(),
        request.project(),
        badge(data.get(DeviceContract.KEY_UNREAD)),
        text(data.get(DeviceContract.KEY_KIND)),
        text(request.at("android", "priority")),
        null,
        text(request.at("android", "collapse_key")),
        request.status(),
        request.errorCode());
  }

  private static @Nullable Integer badge(@Nullable Object unread) {
    if (unread instanceof String text && text.matches("[0-9]{1,9}")) {
      return Integer.valueOf(text);
    }
    return null;
  }

  private static @Nullable String text(@Nullable Object value) {
    return value instanceof String text ? text : null;
  }
}
