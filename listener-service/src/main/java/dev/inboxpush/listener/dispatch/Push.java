package dev.inboxpush.listener.dispatch;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
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
 */
public record Push(
    RegistrationId registrationId,
    AppId appId,
    @Nullable ApnsEnvironment apnsEnvironment,
    DeviceToken deviceToken,
    PushKind kind,
    @Nullable Integer badge,
    boolean highPriority,
    String collapseKey) {

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
        registration.id().value());
  }

  public Platform platform() {
    return deviceToken.platform();
  }
}
