package dev.inboxpush.store;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.ClientStateHash;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.SubscriptionBinding;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A validated request to register a device (or refresh its registration). The APNs environment is
 * checked against the token's platform here, so that no write can store a registration that later
 * reads would refuse.
 *
 * @param owner the caller
 * @param appId the APNs topic or Firebase project
 * @param apnsEnvironment present exactly for APNs tokens
 * @param deviceToken where pushes go
 * @param region the region whose listener URL is handed out
 * @param kind EWS push or Microsoft Graph change notifications
 * @param binding an EWS subscription to bind at once, if the app already has one (EWS only)
 * @param clientState the hash of the Graph {@code clientState} secret; present exactly for Graph
 * @param lifetime how long until the registration expires unless refreshed
 */
public record NewRegistration(
    OwnerHash owner,
    AppId appId,
    @Nullable ApnsEnvironment apnsEnvironment,
    DeviceToken deviceToken,
    Region region,
    RegistrationKind kind,
    @Nullable SubscriptionBinding binding,
    @Nullable ClientStateHash clientState,
    Duration lifetime) {

  /** An EWS registration (the kind every caller before Graph made). */
  public NewRegistration(
      OwnerHash owner,
      AppId appId,
      @Nullable ApnsEnvironment apnsEnvironment,
      DeviceToken deviceToken,
      Region region,
      @Nullable SubscriptionBinding binding,
      Duration lifetime) {
    this(
        owner,
        appId,
        apnsEnvironment,
        deviceToken,
        region,
        RegistrationKind.EWS,
        binding,
        null,
        lifetime);
  }

  public NewRegistration {
    if (deviceToken.platform() == Platform.APNS && apnsEnvironment == null) {
      throw new InvalidValueException("apnsEnvironment", "is required for an APNs device token");
    }
    if (deviceToken.platform() == Platform.FCM && apnsEnvironment != null) {
      throw new InvalidValueException("apnsEnvironment", "applies only to APNs device tokens");
    }
    if (kind == RegistrationKind.GRAPH && (clientState == null || binding != null)) {
      throw new InvalidValueException(
          "kind", "a graph registration has a clientState and no EWS subscription");
    }
    if (kind == RegistrationKind.EWS && clientState != null) {
      throw new InvalidValueException("clientState", "applies only to graph registrations");
    }
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive");
    }
  }
}
