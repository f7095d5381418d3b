package dev.inboxpush.registration.api;

import dev.inboxpush.model.Registration;
import dev.inboxpush.model.SubscriptionBinding;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the {@code /v1} API. Requests hold raw values: they are validated field by field into
 * domain types by {@link RequestFields}, so that every bad field is reported, not only the first.
 */
final class JsonBodies {

  private JsonBodies() {}

  /** {@code POST /v1/registrations}. */
  record RegisterRequest(
      @Nullable String platform,
      @Nullable String appId,
      @Nullable String apnsEnvironment,
      @Nullable String deviceToken,
      @Nullable SubscriptionRequest subscription) {}

  /** The EWS subscription to bind. */
  record SubscriptionRequest(
      @Nullable String subscriptionId,
      @Nullable String inboxFolderId,
      @Nullable Integer statusFrequency) {}

  /** {@code PUT /v1/registrations/{id}/device-token}. */
  record RotateRequest(@Nullable String deviceToken) {}

  /** A registration as the app sees it. */
  record RegistrationResponse(
      String registrationId,
      String callbackUrl,
      String region,
      String regionName,
      String platform,
      String appId,
      @Nullable String apnsEnvironment,
      @Nullable SubscriptionResponse subscription,
      Instant expiresAt) {

    static RegistrationResponse of(Registration registration, String callbackUrl) {
      SubscriptionBinding binding = registration.binding();
      return new RegistrationResponse(
          registration.id().value(),
          callbackUrl,
          registration.region().code(),
          registration.region().displayName(),
          registration.platform().wireName(),
          registration.appId().value(),
          registration.apnsEnvironment() == null ? null : registration.apnsEnvironment().wireName(),
          binding == null
              ? null
              : new SubscriptionResponse(
                  binding.subscriptionId().value(),
                  binding.inboxFolderId() == null ? null : binding.inboxFolderId().value(),
                  binding.statusFrequency().minutes()),
          registration.expiresAt());
    }
  }

  record SubscriptionResponse(
      String subscriptionId, @Nullable String inboxFolderId, int statusFrequency) {}

  /** {@code GET /v1/registrations/{id}}: what the app needs to know to act. */
  record StatusResponse(
      RegistrationResponse registration,
      String status,
      @Nullable Instant lastSeen,
      @Nullable String lastPushOutcome,
      @Nullable Instant lastPushAt) {}

  /** {@code DELETE /v1/registrations}. */
  record WipeResponse(int deleted) {}
}
