package dev.inboxpush.listener.callback;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.CallbackTarget;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.RotateOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The real store, counting the calls made through it: proves hostile input reaches no store. */
final class CountingRegistrationStore implements RegistrationStore {

  private final RegistrationStore delegate;
  private final AtomicInteger calls = new AtomicInteger();

  CountingRegistrationStore(RegistrationStore delegate) {
    this.delegate = delegate;
  }

  int calls() {
    return calls.get();
  }

  private <T> T count(T publisher) {
    calls.incrementAndGet();
    return publisher;
  }

  @Override
  public Mono<RegisterOutcome> register(NewRegistration request) {
    return count(delegate.register(request));
  }

  @Override
  public Mono<Registration> findOwned(OwnerHash owner, RegistrationId id) {
    return count(delegate.findOwned(owner, id));
  }

  @Override
  public Mono<Registration> findById(RegistrationId id) {
    return count(delegate.findById(id));
  }

  @Override
  public Mono<Registration> findByCallbackToken(CallbackToken token) {
    return count(delegate.findByCallbackToken(token));
  }

  @Override
  public Mono<CallbackTarget> findTarget(CallbackToken token) {
    return count(delegate.findTarget(token));
  }

  @Override
  public Flux<Registration> findBySubscriptionId(SubscriptionId subscriptionId) {
    return count(delegate.findBySubscriptionId(subscriptionId));
  }

  @Override
  public Mono<Registration> findBoundTo(SubscriptionId subscriptionId) {
    return count(delegate.findBoundTo(subscriptionId));
  }

  @Override
  public Flux<Registration> findByDevice(AppId appId, DeviceToken deviceToken) {
    return count(delegate.findByDevice(appId, deviceToken));
  }

  @Override
  public Mono<Registration> bindGraph(
      OwnerHash owner, RegistrationId id, GraphSubscription subscription) {
    return count(delegate.bindGraph(owner, id, subscription));
  }

  @Override
  public Mono<Registration> bind(OwnerHash owner, RegistrationId id, SubscriptionBinding binding) {
    return count(delegate.bind(owner, id, binding));
  }

  @Override
  public Mono<Registration> refresh(OwnerHash owner, RegistrationId id, Duration lifetime) {
    return count(delegate.refresh(owner, id, lifetime));
  }

  @Override
  public Mono<RotateOutcome> rotateToken(OwnerHash owner, RegistrationId id, DeviceToken newToken) {
    return count(delegate.rotateToken(owner, id, newToken));
  }

  @Override
  public Mono<Boolean> delete(OwnerHash owner, RegistrationId id) {
    return count(delegate.delete(owner, id));
  }

  @Override
  public Mono<Integer> deleteAllOf(OwnerHash owner) {
    return count(delegate.deleteAllOf(owner));
  }

  @Override
  public Flux<Registration> deleteByDeviceToken(
      AppId appId, DeviceToken deviceToken, Instant invalidatedAt) {
    return count(delegate.deleteByDeviceToken(appId, deviceToken, invalidatedAt));
  }
}
