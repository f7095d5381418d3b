package dev.inboxpush.registration.api;

import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.store.GraphLifecycle;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the {@code /v1} API. Requests hold raw values: they are validated field by field into
 * domain types by {@link RequestFields}, so that every bad field is reported, not only the first.
 * Answers write every field, {@code null} where it does not apply (as the OpenAPI document says).
 */
final class JsonBodies {

  private JsonBodies() {}

  /** {@code POST /v1/registrations}. {@code kind} absent means {@code ews}. */
  record RegisterRequest(
      @Nullable String platform,
      @Nullable String appId,
      @Nullable String apnsEnvironment,
      @Nullable String deviceToken,
      @Nullable String kind,
      @Nullable SubscriptionRequest subscription) {}

  /** The EWS subscription to bind. */
  record SubscriptionRequest(
      @Nullable String subscriptionId,
      @Nullable String inboxFolderId,
      @Nullable Integer statusFrequency) {}

  /**
   * {@code PUT /v1/registrations/{id}/graph-subscription}: the Microsoft Graph subscription the app
   * created, renewed or re-created, as Graph returned it.
   */
  record GraphSubscriptionRequest(
      @Nullable String subscriptionId, @Nullable String expirationDateTime) {}

  /** {@code PUT /v1/registrations/{id}/device-token}. */
  record RotateRequest(@Nullable String deviceToken) {}

  /**
   * A registration as the app sees it. An EWS registration has a {@code callbackUrl} and, once
   * bound, a {@code subscription}; a Graph one has the two Graph URLs and, once bound, a {@code
   * graphSubscription}. {@code clientState} is there only in the answers to registering a Graph
   * registration (201 or 200): the service keeps only its hash and derives it again.
   */
  record RegistrationResponse(
      String registrationId,
      String kind,
      @Nullable String callbackUrl,
      @Nullable String notificationUrl,
      @Nullable String lifecycleNotificationUrl,
      @Nullable String clientState,
      String region,
      String regionName,
      String platform,
      String appId,
      @Nullable String apnsEnvironment,
      @Nullable SubscriptionResponse subscription,
      @Nullable GraphSubscriptionResponse graphSubscription,
      Instant expiresAt) {

    /**
     * @param created the secret of a Graph registration just registered; null in every other answer
     */
    static RegistrationResponse of(
        Registration registration, ApiProperties properties, @Nullable ClientState created) {
      String token = registration.callbackToken().value();
      boolean graph = registration.kind() == RegistrationKind.GRAPH;
      SubscriptionBinding binding = registration.binding();
      GraphSubscription graphSubscription = registration.graphSubscription();
      return new RegistrationResponse(
          registration.id().value(),
          registration.kind().wireName(),
          graph ? null : properties.callbackUrl(token),
          graph ? properties.graphNotificationUrl(token) : null,
          graph ? properties.graphLifecycleUrl(token) : null,
          graph && created != null ? created.value() : null,
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
          graphSubscription == null
              ? null
              : new GraphSubscriptionResponse(
                  graphSubscription.subscriptionId().value(), graphSubscription.expiresAt()),
          registration.expiresAt());
    }
  }

  record SubscriptionResponse(
      String subscriptionId, @Nullable String inboxFolderId, int statusFrequency) {}

  /** The bound Microsoft Graph subscription. */
  record GraphSubscriptionResponse(String subscriptionId, Instant expirationDateTime) {}

  /**
   * {@code GET /v1/registrations/{id}}: what the app needs to know to act. {@code graph} is null
   * for an EWS registration.
   */
  record StatusResponse(
      RegistrationResponse registration,
      String status,
      @Nullable Instant lastSeen,
      @Nullable String lastPushOutcome,
      @Nullable Instant lastPushAt,
      @Nullable GraphStatusResponse graph) {}

  /**
   * What Graph last said about a Graph registration's subscription: the last lifecycle event, while
   * it is current (received after the last bind); both null otherwise.
   */
  record GraphStatusResponse(@Nullable String lifecycleEvent, @Nullable Instant lifecycleEventAt) {

    static GraphStatusResponse of(@Nullable GraphLifecycle current) {
      return current == null
          ? new GraphStatusResponse(null, null)
          : new GraphStatusResponse(current.event().statusName(), current.at());
    }
  }

  /** {@code DELETE /v1/registrations}. */
  record WipeResponse(int deleted) {}
}
