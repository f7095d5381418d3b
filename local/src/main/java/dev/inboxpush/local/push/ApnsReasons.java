package dev.inboxpush.local.push;

import com.eatthepath.pushy.apns.server.RejectionReason;
import java.util.Locale;

/**
 * APNs' rejection reasons as Apple writes them, with their HTTP status: pushy keeps both
 * package-private on {@link RejectionReason}, so the inspector derives them. The reason text is the
 * enum name in upper camel case ({@code BAD_DEVICE_TOKEN} is {@code BadDeviceToken}), which holds
 * for every reason Apple documents; the status follows Apple's table.
 */
final class ApnsReasons {

  private ApnsReasons() {}

  /** Apple's {@code reason} text, e.g. {@code Unregistered}. */
  static String text(RejectionReason reason) {
    StringBuilder text = new StringBuilder();
    for (String word : reason.name().split("_")) {
      text.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return text.toString();
  }

  /** The HTTP status APNs answers with {@code reason}. */
  static int status(RejectionReason reason) {
    return switch (reason) {
      // The provider token or certificate is refused.
      case BAD_CERTIFICATE,
          BAD_CERTIFICATE_ENVIRONMENT,
          EXPIRED_PROVIDER_TOKEN,
          FORBIDDEN,
          INVALID_PROVIDER_TOKEN,
          MISSING_PROVIDER_TOKEN ->
          403;
      case BAD_PATH -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      // The device token is no longer active for the topic: the dead-token path.
      case UNREGISTERED -> 410;
      case PAYLOAD_TOO_LARGE -> 413;
      case TOO_MANY_PROVIDER_TOKEN_UPDATES, TOO_MANY_REQUESTS -> 429;
      case INTERNAL_SERVER_ERROR -> 500;
      case SERVICE_UNAVAILABLE, SHUTDOWN -> 503;
      // Everything about the request itself: headers, topic, device token, payload.
      default -> 400;
    };
  }
}
