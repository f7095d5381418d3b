package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.millis;
import static dev.inboxpush.store.dynamo.Attributes.s;
import static dev.inboxpush.store.dynamo.Attributes.ttl;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.ClientStateHash;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.CallbackTarget;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationIdentities;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.RotateOutcome;
import dev.inboxpush.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link RegistrationStore} on one DynamoDB table (layout in {@link TableLayout}).
 *
 * <p>Idempotent registration rests on the <em>device claim</em> ({@link DeviceClaims}), an item
 * keyed by the hash of (platform, app, token, owner) that names the registration. A new
 * registration writes its registration item first and its claim last, conditionally; the loser of a
 * race deletes what it wrote and refreshes the winner's registration instead. A reader that finds a
 * claim therefore always finds its registration, unless it is expired or was deleted, in which case
 * the claim is stale and the next registration takes it over (conditioned on the stale id). A bound
 * registration is also named by its subscription pointer ({@link SubscriptionPointers}).
 *
 * <p>Thread-safe; holds no state besides the client (in its {@link TableRequests}). Lifecycle: the
 * caller owns the client.
 */
public final class DynamoRegistrationStore implements RegistrationStore {

  private static final Logger log = LoggerFactory.getLogger(DynamoRegistrationStore.class);

  /** Attempts at registering before giving up on a claim that keeps changing under us. */
  private static final int REGISTER_ATTEMPTS = 5;

  /**
   * Repeatable ids tried for one device before a random one: each taken one is another live
   * registration of the same claim's past (rotated to another token) or an expired item TTL has not
   * removed yet, so more than one is rare and more than four is not worth the reads.
   */
  private static final int DERIVED_CANDIDATES = 4;

  /** Deletes run with this many requests in flight during a device wipe or dead-token cleanup. */
  private static final int DELETE_CONCURRENCY = 8;

  private final TableRequests table;
  private final Pointers pointers;
  private final DeviceClaims claims;
  private final SubscriptionPointers subscriptions;
  private final RegistrationIdentities identities;
  private final Clock clock;

  public DynamoRegistrationStore(
      DynamoDbAsyncClient client,
      StoreSettings settings,
      RegistrationIdentities identities,
      Clock clock) {
    this.identities = identities;
    this.table = new TableRequests(client, settings.tableName());
    this.pointers = new Pointers(table);
    this.claims = new DeviceClaims(table);
    this.subscriptions = new SubscriptionPointers(table);
    this.clock = clock;
  }

  // ---- register -------------------------------------------------------------------------------

  @Override
  public Mono<RegisterOutcome> register(NewRegistration request) {
    String claimPk = TableLayout.claimPk(request.appId(), request.deviceToken(), request.owner());
    return Mono.defer(() -> attemptRegister(request, claimPk, 1));
  }

  private Mono<RegisterOutcome> attemptRegister(
      NewRegistration request, String claimPk, int attempt) {
    if (attempt > REGISTER_ATTEMPTS) {
      return Mono.error(
          new IllegalStateException(
              "the device claim kept changing during " + REGISTER_ATTEMPTS + " attempts"));
    }
    Mono<RegisterOutcome> retry = Mono.defer(() -> attemptRegister(request, claimPk, attempt + 1));
    return claims
        .read(claimPk)
        .flatMap(
            claim ->
                claim
                    .holder()
                    .map(id -> refreshClaimed(request, id, claimPk, retry))
                    .orElseGet(() -> create(request, claimPk, null, claim.retired(), retry)));
  }

  /** The claimed registration, refreshed if it is live and still this device's; else take over. */
  private Mono<RegisterOutcome> refreshClaimed(
      NewRegistration request,
      RegistrationId claimed,
      String claimPk,
      Mono<RegisterOutcome> retry) {
    Instant now = now();
    Instant expiresAt = now.plus(request.lifetime()).truncatedTo(ChronoUnit.MILLIS);
    Expression update =
        new Expression()
            .set(TableLayout.ATTR_EXPIRES_AT, millis(expiresAt))
            .set(TableLayout.ATTR_TTL, ttl(expiresAt))
            .set(TableLayout.ATTR_UPDATED_AT, millis(now))
            .set(TableLayout.ATTR_TOKEN_REGISTERED_AT, millis(now))
            .ifEquals(TableLayout.ATTR_OWNER, s(request.owner().value()))
            .ifEquals(
                TableLayout.ATTR_DEVICE_KEY,
                s(TableLayout.deviceKey(request.appId(), request.deviceToken())))
            .ifAfter(TableLayout.ATTR_EXPIRES_AT, millis(now));
    // A registration of the other kind is not refreshed into this one (see KindConflict).
    ifKind(update, request.kind());
    if (request.apnsEnvironment() != null) {
      update.set(TableLayout.ATTR_APNS_ENV, s(request.apnsEnvironment().wireName()));
    }
    if (request.binding() != null) {
      RegistrationItems.bindingAttributes(request.binding()).forEach(update::set);
      update.set(TableLayout.ATTR_BOUND_AT, millis(now));
    }
    // Only a new binding needs the registration as it was (to move the subscription pointer): a
    // plain re-registration is one conditional write, not a write and a read.
    Mono<Optional<Change>> refreshed =
        request.binding() == null
            ? updateRegistration(claimed, update)
                .map(after -> after.map(registration -> new Change(registration, registration)))
            : updateRegistrationReturningOld(claimed, update);
    return refreshed.flatMap(
        updated ->
            updated
                .map(
                    change ->
                        extendPointers(change.after(), claimPk)
                            .then(
                                request.binding() == null
                                    ? Mono.<Void>empty()
                                    : subscriptions.point(change.after(), change.before(), now()))
                            .thenReturn(
                                (RegisterOutcome) new RegisterOutcome.Refreshed(change.after())))
                // Expired, deleted or rotated away: the claim is stale; take it over. Or live
                // and of the other kind: refused, nothing changed.
                .orElseGet(
                    () ->
                        findById(claimed)
                            .filter(
                                existing ->
                                    existing.kind() != request.kind()
                                        && existing.owner().equals(request.owner())
                                        && existing.deviceToken().equals(request.deviceToken())
                                        && existing.appId().equals(request.appId()))
                            .map(
                                existing ->
                                    (RegisterOutcome) new RegisterOutcome.KindConflict(existing))
                            .switchIfEmpty(
                                Mono.defer(
                                    () -> create(request, claimPk, claimed, claimed, retry)))));
  }

  /** Conditions a registration write on its kind (items from before Graph have none: EWS). */
  private static void ifKind(Expression update, RegistrationKind kind) {
    if (kind == RegistrationKind.EWS) {
      update.ifMissingOrEquals(TableLayout.ATTR_KIND, s(kind.wireName()));
    } else {
      update.ifEquals(TableLayout.ATTR_KIND, s(kind.wireName()));
    }
  }

  /**
   * Creates the device's registration (no live one holds its claim; {@code staleClaim} is the
   * holder the claim still names, null when it is free). With {@linkplain
   * RegistrationIdentities#repeatable() repeatable} identities the id is the device's own, the one
   * after {@code replaced} (the stale holder, or the id a released claim retired) in the device's
   * sequence: if its partition (its registration and listener-state items) already holds this
   * device's live registration (another region created it and its claim has not replicated yet, or
   * a concurrent request here has not claimed it yet), that one is claimed and refreshed instead;
   * if it holds anything else (a registration rotated away from this token, an expired one TTL has
   * not removed, listener state left behind), the next id is tried, a few times, then a random one.
   */
  private Mono<RegisterOutcome> create(
      NewRegistration request,
      String claimPk,
      @Nullable RegistrationId staleClaim,
      @Nullable RegistrationId replaced,
      Mono<RegisterOutcome> retry) {
    if (!identities.repeatable()) {
      return createAs(request, claimPk, staleClaim, RegistrationId.random(), false, retry);
    }
    return candidate(request, claimPk, staleClaim, identities.newId(claimPk, replaced), 1, retry);
  }

  private Mono<RegisterOutcome> candidate(
      NewRegistration request,
      String claimPk,
      @Nullable RegistrationId staleClaim,
      RegistrationId id,
      int tried,
      Mono<RegisterOutcome> retry) {
    // The partition's two items, by two consistent GetItems: the registration API's role may
    // Query the owner index only (README, "IAM").
    Mono<Optional<Map<String, AttributeValue>>> registrationItem =
        table
            .get("GetItem(registration)", RegistrationItems.key(id))
            .map(Optional::of)
            .defaultIfEmpty(Optional.empty());
    Mono<Boolean> stateItem =
        table
            .get("GetItem(state)", DynamoListenerStateStore.key(id))
            .map(item -> true)
            .defaultIfEmpty(false);
    return Mono.zip(registrationItem, stateItem)
        .flatMap(
            items -> {
              if (items.getT1().isEmpty() && !items.getT2()) {
                return createAs(request, claimPk, staleClaim, id, true, retry);
              }
              Registration existing = items.getT1().map(RegistrationItems::fromItem).orElse(null);
              if (existing != null && isLive(existing) && sameDevice(existing, request)) {
                // Claim it, then the next attempt finds the claim and refreshes it (or reports the
                // kind conflict); a lost claim means someone else's claim, which that attempt
                // reads.
                return claims
                    .claim(claimPk, staleClaim, id, existing.expiresAt(), now())
                    .then(retry);
              }
              if (tried >= DERIVED_CANDIDATES) {
                return createAs(
                    request, claimPk, staleClaim, RegistrationId.random(), false, retry);
              }
              return candidate(
                  request, claimPk, staleClaim, identities.newId(claimPk, id), tried + 1, retry);
            });
  }

  private static boolean sameDevice(Registration existing, NewRegistration request) {
    return existing.owner().equals(request.owner())
        && existing.appId().equals(request.appId())
        && existing.deviceToken().equals(request.deviceToken());
  }

  /**
   * Writes the registration {@code id} and then claims the device for it. {@code derived}: the id
   * is the device's repeatable one, so a write that finds the id taken is a lost race (the next
   * attempt adopts the winner), and what was written is not deleted when a write fails outright
   * (the same id may be another region's live registration; the device's next registration adopts
   * it). A claim lost to another id deletes ours, of either kind: no unclaimed registration of the
   * device is left in the device and owner indexes.
   */
  private Mono<RegisterOutcome> createAs(
      NewRegistration request,
      String claimPk,
      @Nullable RegistrationId staleClaim,
      RegistrationId id,
      boolean derived,
      Mono<RegisterOutcome> retry) {
    Instant now = now();
    // A repeatable source's secrets, for every id it is asked about (a random fallback id too).
    ClientStateHash derivedClientState =
        request.kind() == RegistrationKind.GRAPH ? identities.clientStateHash(id) : null;
    Registration registration =
        new Registration(
            id,
            request.owner(),
            request.appId(),
            request.apnsEnvironment(),
            request.deviceToken(),
            identities.callbackToken(id),
            request.region(),
            request.kind(),
            request.binding(),
            derivedClientState != null ? derivedClientState : request.clientState(),
            null,
            request.binding() == null ? null : now,
            now,
            now,
            now,
            now.plus(request.lifetime()).truncatedTo(ChronoUnit.MILLIS));
    return putNew(registration)
        .flatMap(
            landed ->
                landed
                    ? claims.claim(
                        claimPk, staleClaim, registration.id(), registration.expiresAt(), now)
                    : Mono.<Boolean>empty())
        .flatMap(
            won -> {
              if (won) {
                log.debug("registration {} created", registration.id());
                return subscriptions
                    .point(registration, null, now())
                    .thenReturn((RegisterOutcome) new RegisterOutcome.Created(registration));
              }
              return claims
                  .holder(claimPk)
                  .flatMap(
                      holder -> {
                        if (holder.filter(registration.id()::equals).isPresent()) {
                          // A concurrent request adopted ours and claimed it first: still ours.
                          return subscriptions
                              .point(registration, null, now())
                              .thenReturn(
                                  (RegisterOutcome) new RegisterOutcome.Created(registration));
                        }
                        // Another registration claimed this device first: undo ours, then
                        // refresh theirs.
                        log.debug("registration race lost by {}; retrying", registration.id());
                        return undoCreate(registration.id()).then(retry);
                      });
            })
        // The id was taken between our read and our write: the next attempt sees by whom.
        .switchIfEmpty(Mono.defer(() -> retry))
        .onErrorResume(
            error ->
                derived
                    ? Mono.error(error)
                    // A write failed outright (timeout, outage): remove what may have been
                    // written, so that no unclaimed registration lingers in the device and owner
                    // indexes.
                    : undoCreate(registration.id())
                        .onErrorResume(cleanup -> Mono.empty())
                        .then(Mono.error(error)));
  }

  private Mono<Void> undoCreate(RegistrationId id) {
    return deleteItem(RegistrationItems.key(id));
  }

  // ---- reads ----------------------------------------------------------------------------------

  @Override
  public Mono<Registration> findOwned(OwnerHash owner, RegistrationId id) {
    return findById(id).filter(registration -> registration.owner().equals(owner));
  }

  @Override
  public Mono<Registration> findById(RegistrationId id) {
    return table
        .get("GetItem(registration)", RegistrationItems.key(id))
        .map(RegistrationItems::fromItem)
        .filter(this::isLive);
  }

  @Override
  public Mono<Registration> findByCallbackToken(CallbackToken token) {
    return token
        .registrationId()
        .map(this::findById)
        .orElseGet(Mono::empty)
        // The token names the registration; the whole token must match, compared in constant time.
        .filter(registration -> registration.callbackToken().equals(token));
  }

  @Override
  public Mono<CallbackTarget> findTarget(CallbackToken token) {
    Optional<RegistrationId> named = token.registrationId();
    if (named.isEmpty()) {
      return Mono.empty();
    }
    RegistrationId id = named.get();
    return table
        .partition("Query(registration and state)", TableLayout.registrationPk(id))
        .collectList()
        .flatMap(
            items -> {
              Registration registration = null;
              ListenerState state = ListenerState.empty(id);
              for (Map<String, AttributeValue> item : items) {
                String sk = item.get(TableLayout.SK).s();
                if (TableLayout.SK_REGISTRATION.equals(sk)) {
                  registration = RegistrationItems.fromItem(item);
                } else if (TableLayout.SK_LISTENER.equals(sk)) {
                  state = DynamoListenerStateStore.fromItem(id, item);
                }
              }
              return registration != null
                      && isLive(registration)
                      && registration.callbackToken().equals(token)
                  ? Mono.just(new CallbackTarget(registration, state))
                  : Mono.empty();
            });
  }

  @Override
  public Flux<Registration> findBySubscriptionId(SubscriptionId subscriptionId) {
    return queryIndex(
        TableLayout.GSI_SUBSCRIPTION, TableLayout.ATTR_SUBSCRIPTION_ID, subscriptionId.value());
  }

  @Override
  public Mono<Registration> findBoundTo(SubscriptionId subscriptionId) {
    return subscriptions
        .target(subscriptionId)
        .flatMap(pointer -> pointer.map(this::findById).orElseGet(Mono::empty))
        .filter(
            registration ->
                registration.binding() != null
                    && registration.binding().subscriptionId().equals(subscriptionId));
  }

  @Override
  public Flux<Registration> findByDevice(AppId appId, DeviceToken deviceToken) {
    return queryIndex(
        TableLayout.GSI_DEVICE,
        TableLayout.ATTR_DEVICE_KEY,
        TableLayout.deviceKey(appId, deviceToken));
  }

  private Flux<Registration> queryIndex(String index, String attribute, String value) {
    return queryItems(index, attribute, value)
        .map(RegistrationItems::fromItem)
        .filter(this::isLive);
  }

  private Flux<Map<String, AttributeValue>> queryItems(
      String index, String attribute, String value) {
    return table.queryAll(index, new Expression().ifEquals(attribute, s(value)));
  }

  // ---- updates --------------------------------------------------------------------------------

  @Override
  public Mono<Registration> bind(OwnerHash owner, RegistrationId id, SubscriptionBinding binding) {
    return Mono.defer(
        () -> {
          Instant now = now();
          Expression update = new Expression();
          RegistrationItems.bindingAttributes(binding).forEach(update::set);
          update
              .set(TableLayout.ATTR_BOUND_AT, millis(now))
              .set(TableLayout.ATTR_UPDATED_AT, millis(now))
              .ifEquals(TableLayout.ATTR_OWNER, s(owner.value()))
              .ifAfter(TableLayout.ATTR_EXPIRES_AT, millis(now));
          ifKind(update, RegistrationKind.EWS);
          return updateRegistrationReturningOld(id, update)
              .flatMap(Mono::justOrEmpty)
              .flatMap(
                  change ->
                      subscriptions
                          .point(change.after(), change.before(), now())
                          .thenReturn(change.after()));
        });
  }

  @Override
  public Mono<Registration> bindGraph(
      OwnerHash owner, RegistrationId id, GraphSubscription subscription) {
    return Mono.defer(
        () -> {
          Instant now = now();
          Expression update = new Expression();
          RegistrationItems.graphAttributes(subscription).forEach(update::set);
          update
              .set(TableLayout.ATTR_BOUND_AT, millis(now))
              .set(TableLayout.ATTR_UPDATED_AT, millis(now))
              .ifEquals(TableLayout.ATTR_OWNER, s(owner.value()))
              .ifAfter(TableLayout.ATTR_EXPIRES_AT, millis(now));
          ifKind(update, RegistrationKind.GRAPH);
          return updateRegistration(id, update).flatMap(Mono::justOrEmpty);
        });
  }

  @Override
  public Mono<Registration> refresh(OwnerHash owner, RegistrationId id, Duration lifetime) {
    return Mono.defer(
        () -> {
          Instant now = now();
          Instant expiresAt = now.plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
          Expression update =
              new Expression()
                  .set(TableLayout.ATTR_EXPIRES_AT, millis(expiresAt))
                  .set(TableLayout.ATTR_TTL, ttl(expiresAt))
                  .set(TableLayout.ATTR_UPDATED_AT, millis(now))
                  .ifEquals(TableLayout.ATTR_OWNER, s(owner.value()))
                  .ifAfter(TableLayout.ATTR_EXPIRES_AT, millis(now));
          return updateRegistration(id, update)
              .flatMap(Mono::justOrEmpty)
              .flatMap(
                  registration ->
                      extendPointers(
                              registration,
                              TableLayout.claimPk(
                                  registration.appId(), registration.deviceToken(), owner))
                          .thenReturn(registration));
        });
  }

  @Override
  public Mono<RotateOutcome> rotateToken(OwnerHash owner, RegistrationId id, DeviceToken newToken) {
    return findOwned(owner, id)
        .flatMap(current -> rotate(current, newToken))
        .defaultIfEmpty(new RotateOutcome.NotFound());
  }

  private Mono<RotateOutcome> rotate(Registration current, DeviceToken newToken) {
    if (newToken.platform() != current.platform()) {
      return Mono.error(
          new InvalidValueException(
              "deviceToken", "must be a token of the registration's platform"));
    }
    if (newToken.equals(current.deviceToken())) {
      return Mono.just(new RotateOutcome.Rotated(current));
    }
    String newClaim = TableLayout.claimPk(current.appId(), newToken, current.owner());
    return claims
        .holder(newClaim)
        .flatMap(
            claimed -> {
              if (claimed.isEmpty()) {
                return moveClaim(current, newToken, newClaim, null);
              }
              RegistrationId holder = claimed.get();
              if (holder.equals(current.id())) {
                // Left by an interrupted rotation of this same registration: finish it.
                return moveClaim(current, newToken, newClaim, holder);
              }
              return findById(holder)
                  .filter(other -> other.deviceToken().equals(newToken))
                  .map(other -> (RotateOutcome) new RotateOutcome.TokenInUse())
                  // The claim is stale (its registration expired, was deleted or moved on).
                  .switchIfEmpty(Mono.defer(() -> moveClaim(current, newToken, newClaim, holder)));
            });
  }

  /**
   * Claims the new token for {@code current} if that claim is free ({@code heldBy} null) or still
   * held by {@code heldBy}, switches the registration to it (only if it still has the old token),
   * then releases the old claim.
   */
  private Mono<RotateOutcome> moveClaim(
      Registration current,
      DeviceToken newToken,
      String newClaim,
      @Nullable RegistrationId heldBy) {
    Instant now = now();
    String oldClaim = TableLayout.claimPk(current.appId(), current.deviceToken(), current.owner());
    Expression update =
        new Expression()
            .set(TableLayout.ATTR_DEVICE_TOKEN, s(newToken.value()))
            .set(TableLayout.ATTR_DEVICE_KEY, s(TableLayout.deviceKey(current.appId(), newToken)))
            .set(TableLayout.ATTR_TOKEN_REGISTERED_AT, millis(now))
            .set(TableLayout.ATTR_UPDATED_AT, millis(now))
            .ifEquals(TableLayout.ATTR_OWNER, s(current.owner().value()))
            .ifEquals(TableLayout.ATTR_DEVICE_TOKEN, s(current.deviceToken().value()))
            .ifAfter(TableLayout.ATTR_EXPIRES_AT, millis(now));
    return claims
        .claim(newClaim, heldBy, current.id(), current.expiresAt(), now)
        .flatMap(
            claimed -> {
              if (!claimed) {
                return Mono.just((RotateOutcome) new RotateOutcome.TokenInUse());
              }
              return updateRegistration(current.id(), update)
                  .flatMap(
                      updated ->
                          updated
                              .map(
                                  registration ->
                                      claims
                                          .release(oldClaim, current.id(), now)
                                          .thenReturn(
                                              (RotateOutcome)
                                                  new RotateOutcome.Rotated(registration)))
                              // Deleted or rotated concurrently: give the new claim back.
                              .orElseGet(
                                  () ->
                                      claims
                                          .release(newClaim, current.id(), now)
                                          .thenReturn(
                                              (RotateOutcome) new RotateOutcome.NotFound())));
            });
  }

  // ---- deletes --------------------------------------------------------------------------------

  @Override
  public Mono<Boolean> delete(OwnerHash owner, RegistrationId id) {
    return Mono.defer(
        () -> {
          Instant now = now();
          return deleteRegistration(
                  id, new Expression().ifEquals(TableLayout.ATTR_OWNER, s(owner.value())), true)
              .map(deleted -> deleted.map(old -> !old.isExpiredAt(now)).orElse(false));
        });
  }

  @Override
  public Mono<Integer> deleteAllOf(OwnerHash owner) {
    return queryItems(TableLayout.GSI_OWNER, TableLayout.ATTR_OWNER, owner.value())
        .map(
            item -> RegistrationId.of(Attributes.requiredString(item, TableLayout.PK).substring(4)))
        .flatMap(
            id ->
                deleteRegistration(
                    id, new Expression().ifEquals(TableLayout.ATTR_OWNER, s(owner.value())), true),
            DELETE_CONCURRENCY)
        .filter(Optional::isPresent)
        .count()
        .map(Long::intValue);
  }

  @Override
  public Flux<Registration> deleteByDeviceToken(
      AppId appId, DeviceToken deviceToken, Instant invalidatedAt) {
    String deviceKey = TableLayout.deviceKey(appId, deviceToken);
    return queryItems(TableLayout.GSI_DEVICE, TableLayout.ATTR_DEVICE_KEY, deviceKey)
        .map(
            item ->
                RegistrationId.of(
                    Attributes.requiredString(item, TableLayout.ATTR_REGISTRATION_ID)))
        .flatMap(
            id ->
                deleteRegistration(
                    id,
                    new Expression()
                        .ifEquals(TableLayout.ATTR_DEVICE_KEY, s(deviceKey))
                        .ifAtMost(TableLayout.ATTR_TOKEN_REGISTERED_AT, millis(invalidatedAt)),
                    false),
            DELETE_CONCURRENCY)
        .flatMap(Mono::justOrEmpty)
        .doOnNext(
            deleted ->
                log.info("registration {} deleted: device token reported dead", deleted.id()));
  }

  /**
   * Deletes the registration item under {@code condition}, then its listener state and pointers.
   * Emits the deleted registration, or empty when the condition failed or nothing was there.
   *
   * @param retireClaim leave the device claim as a tombstone naming the deleted id (the API's
   *     deletions), or delete it (a dead token's, done by listeners: their {@code UpdateItem} is
   *     held to {@code REG#} partitions by IAM, and a dead token does not register again)
   */
  private Mono<Optional<Registration>> deleteRegistration(
      RegistrationId id, Expression condition, boolean retireClaim) {
    return table
        .deleteReturningOld("DeleteItem(registration)", RegistrationItems.key(id), condition)
        .map(RegistrationItems::fromItem)
        .flatMap(old -> deleteLeftovers(old, retireClaim).thenReturn(Optional.of(old)))
        .onErrorResume(ConditionalCheckFailedException.class, e -> Mono.just(Optional.empty()))
        .defaultIfEmpty(Optional.empty());
  }

  /** Listener state, device claim and subscription pointer of a deleted one. */
  private Mono<Void> deleteLeftovers(Registration deleted, boolean retireClaim) {
    String claimPk = TableLayout.claimPk(deleted.appId(), deleted.deviceToken(), deleted.owner());
    return deleteItem(DynamoListenerStateStore.key(deleted.id()))
        .then(
            retireClaim
                ? claims.release(claimPk, deleted.id(), now())
                : claims.drop(claimPk, deleted.id()))
        .then(
            deleted.binding() == null
                ? Mono.empty()
                : subscriptions.release(deleted.binding().subscriptionId(), deleted.id()));
  }

  /** The store keeps milliseconds, so every instant it writes or hands out is truncated to them. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private boolean isLive(Registration registration) {
    return !registration.isExpiredAt(now());
  }

  /** Conditional update returning the new registration, or empty when the condition failed. */
  private Mono<Optional<Registration>> updateRegistration(RegistrationId id, Expression update) {
    update.ifExists(TableLayout.PK);
    return table
        .updateReturning(
            "UpdateItem(registration)", RegistrationItems.key(id), update, ReturnValue.ALL_NEW)
        .map(after -> Optional.of(RegistrationItems.fromItem(after)))
        .onErrorResume(ConditionalCheckFailedException.class, e -> Mono.just(Optional.empty()));
  }

  /** A registration before and after an update. */
  private record Change(Registration before, Registration after) {}

  /** Like {@link #updateRegistration}, also giving the registration as it was. */
  private Mono<Optional<Change>> updateRegistrationReturningOld(
      RegistrationId id, Expression update) {
    update.ifExists(TableLayout.PK);
    return table
        .updateReturning(
            "UpdateItem(registration)", RegistrationItems.key(id), update, ReturnValue.ALL_OLD)
        .flatMap(
            old -> {
              Registration before = RegistrationItems.fromItem(old);
              return findById(id)
                  .map(after -> Optional.of(new Change(before, after)))
                  .defaultIfEmpty(Optional.empty());
            })
        .onErrorResume(ConditionalCheckFailedException.class, e -> Mono.just(Optional.empty()));
  }

  /** Keeps every pointer alive at least as long as the refreshed registration. */
  private Mono<Void> extendPointers(Registration registration, String claimPk) {
    Instant now = now();
    List<String> pks = new ArrayList<>(List.of(claimPk));
    if (registration.binding() != null) {
      pks.add(TableLayout.subscriptionPk(registration.binding().subscriptionId()));
    }
    return Flux.fromIterable(pks).flatMap(pk -> pointers.extend(pk, registration, now)).then();
  }

  /**
   * Writes a new registration item, refusing to overwrite; emits whether it is there as written. A
   * failed condition can mean that this very write landed on an attempt the SDK then timed out and
   * retried (seen under load: a 500 for a registration that was created), so the item is read back:
   * every attribute as we wrote it is our success (or a concurrent request's identical write of the
   * same repeatable id in the same millisecond, which is the same registration); anything else,
   * another request's registration under that id, is not.
   */
  private Mono<Boolean> putNew(Registration registration) {
    Map<String, AttributeValue> item = RegistrationItems.toItem(registration);
    return table
        .put("PutItem", item, new Expression().ifNotExists(TableLayout.PK))
        .thenReturn(true)
        .onErrorResume(
            ConditionalCheckFailedException.class,
            taken ->
                table
                    .get("GetItem(registration)", RegistrationItems.key(registration.id()))
                    .map(
                        stored ->
                            item.entrySet().stream()
                                .allMatch(e -> e.getValue().equals(stored.get(e.getKey()))))
                    .defaultIfEmpty(false));
  }

  private Mono<Void> deleteItem(Map<String, AttributeValue> key) {
    return table.delete("DeleteItem", key);
  }
}
