package dev.inboxpush.listener.dispatch;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One badge-only push for one registration: everything a platform dispatcher needs to build the
 * device contract's payload, and nothing from the mailbox.
 *
 * @param registrationId whose account changed (goes into the payload)
 * @param appId the APNs topic or Firebase project
 * @param apnsEnvironment the APNs environment; absent for FCM
 * @param deviceToken where to
 * @param kind why
 * @param badge the unread count to show, absent for a wake-up without a count
 * @param highPriority true only when the POST carried new mail (APNs priority 10, FCM high)
 * @param collapseKey merges pushes for one registration on the device ({@code apns-collapse-id},
 *     FCM {@code collapse_key})
 * @param lastAcceptedAt when this registration's channel (FCM, or its APNs environment) last
 *     accepted a push, if known: APNs {@code BadDeviceToken} counts as a dead token only then
 */
public record Push(
    RegistrationId registrationId,
    AppId appId,
    @Nullable ApnsEnvironment apnsEnvironment,
    DeviceToken deviceToken,
    PushKind kind,
    @Nullable Integer badge,
    boolean highPriority,
    String collapseKey,
    @Nullable Instant lastAcceptedAt) {

  public Push {
    if (badge != null && badge < 0) {
      throw new IllegalArgumentException("a badge is never negative");
    }
  }

  /** A push to {@code registration}'s device, collapsed per registration. */
  public static Push to(
      Registration registration, PushKind kind, @Nullable Integer badge, boolean highPriority) {
    return new Push(
        registration.id(),
        registration.appId(),
        registration.apnsEnvironment(),
        registration.deviceToken(),
        kind,
        badge,
        highPriority,
        registration.id().value(),
        null);
  }

  /**
   * A copy of this push with {@code lastAcceptedAt} set: when the channel last accepted the token.
   */
  public Push withLastAcceptedAt(@Nullable Instant lastAccepted) {
    return new Push(
        registrationId,
        appId,
        apnsEnvironment,
        deviceToken,
        kind,
        badge,
        highPriority,
        collapseKey,
        lastAccepted);
  }

  public Platform platform() {
    return deviceToken.platform();
  }
}
