package dev.inboxpush.local.push;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.inboxpush.model.DeviceContract;
import dev.inboxpush.testsupport.apns.MockApns.Received;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what the local APNs received into an inspector row: the badge from {@code aps.badge}, the
 * kind from {@code inboxpush.kind} ({@link DeviceContract}), the headers as pushy parsed them, and
 * Apple's reason when rejected. A payload that is not JSON (APNs would refuse it only on the
 * device) leaves badge and kind empty. Called on the APNs event loop; never blocks.
 */
final class ApnsRows {

  /** The platform name in rows and paths. */
  static final String PLATFORM = "apns";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final PushLog log;

  ApnsRows(PushLog log) {
    this.log = log;
  }

  void record(Received push) {
    JsonNode payload = parse(push.payload());
    RejectionReason rejection = push.rejection();
    log.record(
        PLATFORM,
        push.token().isEmpty() ? null : push.token().toLowerCase(Locale.ROOT),
        push.topic(),
        badge(payload),
        kind(payload),
        push.priority() == null ? null : Integer.toString(push.priority().getCode()),
        push.pushType() == null ? null : push.pushType().getHeaderValue(),
        push.collapseId(),
        rejection == null ? 200 : ApnsReasons.status(rejection),
        rejection == null ? null : ApnsReasons.text(rejection));
  }

  private static @Nullable JsonNode parse(String payload) {
    try {
      return JSON.readTree(payload);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static @Nullable Integer badge(@Nullable JsonNode payload) {
    JsonNode badge = payload == null ? null : payload.path("aps").get("badge");
    return badge != null && badge.isInt() ? badge.intValue() : null;
  }

  private static @Nullable String kind(@Nullable JsonNode payload) {
    JsonNode kind =
        payload == null
            ? null
            : payload.path(DeviceContract.APNS_CUSTOM_KEY).get(DeviceContract.KEY_KIND);
    return kind != null && kind.isString() ? kind.asString() : null;
  }
}
