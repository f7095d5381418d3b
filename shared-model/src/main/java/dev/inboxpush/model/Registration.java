package dev.inboxpush.model;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One device's registration for one mailbox: where to push (platform, app, environment, token), the
 * secret callback token in the URL Exchange or Graph posts to, and the subscription once the app
 * has bound it: an EWS subscription for kind {@code ews}, a Microsoft Graph one for kind {@code
 * graph} (which also carries the hash of its {@code clientState} secret). Written only through the
 * registration API; listeners read it.
 *
 * @param id the public registration id
 * @param owner who may see and change it
 * @param appId the APNs topic or Firebase project
 * @param apnsEnvironment the APNs environment; present exactly for APNs tokens
 * @param deviceToken where pushes go; its platform is the registration's platform
 * @param callbackToken the secret in the callback URL
 * @param region the region whose listener URL was handed out
 * @param kind how Exchange reaches it: EWS push or Graph change notifications
 * @param binding the EWS subscription, absent until the app binds one (always, for Graph)
 * @param clientState the hash of the Graph {@code clientState} secret; present exactly for Graph
 * @param graphSubscription the Graph subscription, absent until the app binds one (always, for EWS)
 * @param boundAt when the current binding (of either kind) was made (staleness counts from it until
 *     Exchange is heard from); absent exactly when there is no binding
 * @param createdAt when the registration was first created
 * @param updatedAt when the registration item was last written
 * @param tokenRegisteredAt when the current device token was last registered or rotated in; a
 *     dead-token report older than this must not delete the registration
 * @param expiresAt when the registration lapses unless refreshed
 */
public record Registration(
    RegistrationId id,
    OwnerHash owner,
    AppId appId,
    @Nullable ApnsEnvironment apnsEnvironment,
    DeviceToken deviceToken,
    CallbackToken callbackToken,
    Region region,
    RegistrationKind kind,
    @Nullable SubscriptionBinding binding,
    @Nullable ClientStateHash clientState,
    @Nullable GraphSubscription graphSubscription,
    @Nullable Instant boundAt,
    Instant createdAt,
    Instant updatedAt,
    Instant tokenRegisteredAt,
    Instant expiresAt) {

  public Registration {
    requireField("registrationId", id);
    requireField("owner", owner);
    requireField("appId", appId);
    requireField("deviceToken", deviceToken);
    requireField("callbackToken", callbackToken);
    requireField("region", region);
    requireField("createdAt", createdAt);
    requireField("updatedAt", updatedAt);
    requireField("tokenRegisteredAt", tokenRegisteredAt);
    requireField("expiresAt", expiresAt);
    if (deviceToken.platform() == Platform.APNS && apnsEnvironment == null) {
      throw new InvalidValueException("apnsEnvironment", "is required for an APNs device token");
    }
    if (deviceToken.platform() == Platform.FCM && apnsEnvironment != null) {
      throw new InvalidValueException("apnsEnvironment", "applies only to APNs device tokens");
    }
    requireField("kind", kind);
    if (kind == RegistrationKind.EWS && (clientState != null || graphSubscription != null)) {
      throw new InvalidValueException("kind", "an ews registration has no Graph subscription");
    }
    if (kind == RegistrationKind.GRAPH && (clientState == null || binding != null)) {
      throw new InvalidValueException(
          "kind", "a graph registration has a clientState and no EWS subscription");
    }
    if ((binding == null && graphSubscription == null) != (boundAt == null)) {
      throw new InvalidValueException("boundAt", "is present exactly when a subscription is bound");
    }
    if (!expiresAt.isAfter(createdAt)) {
      throw new InvalidValueException("expiresAt", "must be after createdAt");
    }
  }

  private static void requireField(String field, @Nullable Object value) {
    if (value == null) {
      throw new InvalidValueException(field, "is required");
    }
  }

  /** The platform of the device token. */
  public Platform platform() {
    return deviceToken.platform();
  }

  /** The bound EWS subscription, if any. */
  public Optional<SubscriptionBinding> subscription() {
    return Optional.ofNullable(binding);
  }

  /** The id of the bound subscription of either kind; null while none is bound. */
  public @Nullable SubscriptionId boundSubscriptionId() {
    if (binding != null) {
      return binding.subscriptionId();
    }
    return graphSubscription == null ? null : graphSubscription.subscriptionId();
  }

  /** Whether the registration has lapsed at {@code now} (expired items are treated as absent). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
