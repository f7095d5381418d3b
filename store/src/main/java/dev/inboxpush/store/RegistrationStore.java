package dev.inboxpush.store;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import java.time.Duration;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Registrations: written only through the registration API, read by both services.
 *
 * <p>Every method is lazy (nothing happens until subscription) and non-blocking. Expired
 * registrations are absent from every read, even before TTL removes them. Methods taking an {@link
 * OwnerHash} act only on that owner's registrations; another owner's registration looks absent.
 * Failures to reach the store surface as {@link StoreUnavailableException}.
 */
public interface RegistrationStore {

  /**
   * Registers a device, or refreshes the caller's existing registration for the same device token
   * and app: expiry extended by the request's lifetime, the token counted as registered now, and
   * the request's APNs environment and binding (if any) applied. Concurrent calls for the same
   * device, owner and app all return the one registration. A live registration of the other kind is
   * left as it is ({@link RegisterOutcome.KindConflict}).
   */
  Mono<RegisterOutcome> register(NewRegistration request);

  /** The caller's registration with this id. Strongly consistent. */
  Mono<Registration> findOwned(OwnerHash owner, RegistrationId id);

  /** The registration with this id, whoever owns it. Strongly consistent. */
  Mono<Registration> findById(RegistrationId id);

  /**
   * The registration this callback token belongs to, through a strongly consistent read, so that an
   * empty result may be trusted for {@code Unsubscribe}. The stored token is compared with the
   * given one in constant time.
   */
  Mono<Registration> findByCallbackToken(CallbackToken token);

  /**
   * Like {@link #findByCallbackToken}, with the registration's listener state read in the same
   * strongly consistent call (the two items share a partition): what a callback POST needs, in one
   * read. Empty when the token names no live registration or does not match the one it names.
   */
  Mono<CallbackTarget> findTarget(CallbackToken token);

  /**
   * Registrations currently bound to this SubscriptionId (normally one). Eventually consistent: a
   * binding made moments ago may be missing.
   */
  Flux<Registration> findBySubscriptionId(SubscriptionId subscriptionId);

  /**
   * The live registration bound to this SubscriptionId, by strongly consistent reads (a pointer
   * written when it was bound, then the registration), so that an empty result may be trusted for
   * {@code Unsubscribe} on the compatibility mode's shared URL.
   */
  Mono<Registration> findBoundTo(SubscriptionId subscriptionId);

  /**
   * Every live registration of this device token and app, whatever the owner (several accounts on
   * one device). Eventually consistent.
   */
  Flux<Registration> findByDevice(AppId appId, DeviceToken deviceToken);

  /**
   * Binds or replaces the caller's registration's EWS subscription (one current SubscriptionId per
   * registration). Empty when the registration is not the caller's, not live, or of kind {@code
   * graph}.
   */
  Mono<Registration> bind(OwnerHash owner, RegistrationId id, SubscriptionBinding binding);

  /**
   * Binds or replaces the caller's Graph registration's Microsoft Graph subscription (after the app
   * created, renewed or re-created it). Empty when the registration is not the caller's, not live,
   * or not of kind {@code graph}.
   */
  Mono<Registration> bindGraph(OwnerHash owner, RegistrationId id, GraphSubscription subscription);

  /**
   * Extends the caller's registration's expiry to now plus {@code lifetime}. Empty when it is not
   * the caller's or not live.
   */
  Mono<Registration> refresh(OwnerHash owner, RegistrationId id, Duration lifetime);

  /** Replaces the device token of the caller's registration (the app got a new one). */
  Mono<RotateOutcome> rotateToken(OwnerHash owner, RegistrationId id, DeviceToken newToken);

  /** Deletes the caller's registration and its listener state. Emits whether it existed. */
  Mono<Boolean> delete(OwnerHash owner, RegistrationId id);

  /** Deletes every registration of the caller (device wipe). Emits how many were deleted. */
  Mono<Integer> deleteAllOf(OwnerHash owner);

  /**
   * Deletes the registrations of a device token that APNs or FCM reported dead at {@code
   * invalidatedAt}, except those whose token was (re-)registered after that instant: a stale report
   * must not delete a registration the app has renewed since. Emits each deleted registration (as
   * it was), so that the caller can forget what it cached of them.
   */
  Flux<Registration> deleteByDeviceToken(
      AppId appId, DeviceToken deviceToken, Instant invalidatedAt);
}
