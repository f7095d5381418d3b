package dev.inboxpush.listener.dispatch.fcm;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.Message;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.DeviceContract;
import java.time.Duration;

/**
 * The device contract for Android: one {@link Push} to one FCM data message. Pure and thread-safe.
 *
 * <ul>
 *   <li>{@code data}: {@code kind}, {@code registrationId}, and {@code unread} (the count as
 *       decimal text) only when the count is known. No {@code notification} block: the app decides
 *       what to show.
 *   <li>{@code android.collapse_key}: the push's collapse key (the registration id), so a device
 *       that was offline gets the newest badge only.
 *   <li>{@code android.ttl}: the configured, short TTL.
 *   <li>{@code android.priority}: {@code high} only when the POST carried new mail (the app shows
 *       "You have new messages"); FCM demotes high-priority messages that show nothing.
 * </ul>
 */
final class FcmMessages {

  /**
   * The registration token of the start-up warm-up's dry run: no device has it, and a dry run
   * ({@code validate_only}) delivers nothing anyway; FCM answers it after checking our access token
   * (a real FCM with {@code INVALID_ARGUMENT}).
   */
  static final String WARM_UP_TOKEN = "inboxpush-warm-up";

  private FcmMessages() {}

  /** The warm-up message: to {@link #WARM_UP_TOKEN}, nothing in it; send it as a dry run only. */
  @SuppressWarnings("deprecation") // setToken: see of()
  static Message warmUp() {
    return Message.builder().setToken(WARM_UP_TOKEN).build();
  }

  // Message.Builder.setToken is deprecated in 9.10+ in favour of Firebase Installation IDs; our
  // apps register FCM registration tokens, which FCM still accepts.
  @SuppressWarnings("deprecation")
  static Message of(Push push, Duration ttl) {
    Message.Builder message =
        Message.builder()
            .setToken(push.deviceToken().value())
            .putData(DeviceContract.KEY_KIND, push.kind().wireName())
            .putData(DeviceContract.KEY_REGISTRATION_ID, push.registrationId().value());
    if (push.badge() != null) {
      message.putData(DeviceContract.KEY_UNREAD, Integer.toString(push.badge()));
    }
    return message
        .setAndroidConfig(
            AndroidConfig.builder()
                .setCollapseKey(push.collapseKey())
                .setTtl(ttl.toMillis())
                .setPriority(
                    push.highPriority()
                        ? AndroidConfig.Priority.HIGH
                        : AndroidConfig.Priority.NORMAL)
                .build())
        .build();
  }
}
