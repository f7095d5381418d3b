package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.APP;
import static dev.inboxpush.store.dynamo.StoreFixture.LIFETIME;
import static dev.inboxpush.store.dynamo.StoreFixture.apnsToken;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.fcmToken;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static dev.inboxpush.store.dynamo.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.RotateOutcome;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(DynaliteExtension.class)
class DynamoRegistrationStoreIT {

  private StoreFixture fixture;
  private RegistrationStore store;

  @BeforeEach
  void openStore(Dynalite dynalite) {
    fixture = new StoreFixture(dynalite);
    store = fixture.store.registrations();
  }

  @AfterEach
  void closeStore() {
    fixture.close();
  }

  private static SubscriptionBinding binding(String subscriptionId) {
    return new SubscriptionBinding(
        SubscriptionId.of(subscriptionId),
        FolderId.of("AQMkInbox" + subscriptionId),
        new StatusFrequency(15));
  }

  private Registration register(OwnerHash owner, DeviceToken token) {
    return await(store.register(request(owner, token))).registration();
  }

  /**
   * What a deletion leaves: nothing but the device claim released as a tombstone naming the deleted
   * registration, so that its id is not handed out again.
   */
  private void assertOnlyTheTombstoneOf(Registration deleted) {
    assertThat(fixture.allItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.get(TableLayout.PK).s()).startsWith("DEV#");
              assertThat(item).doesNotContainKey(TableLayout.ATTR_REGISTRATION_ID);
              assertThat(item.get(TableLayout.ATTR_RETIRED_ID).s()).isEqualTo(deleted.id().value());
            });
  }

  @Nested
  class Register {

    @ParameterizedTest
    @ValueSource(strings = {"apns", "fcm"})
    void createsARegistrationFindableByIdCallbackTokenAndDevice(String platform) {
      OwnerHash owner = owner();
      DeviceToken token = platform.equals("apns") ? apnsToken() : fcmToken();

      RegisterOutcome outcome = await(store.register(request(owner, token)));

      assertThat(outcome).isInstanceOf(RegisterOutcome.Created.class);
      Registration created = outcome.registration();
      assertThat(created.deviceToken()).isEqualTo(token);
      assertThat(created.createdAt()).isEqualTo(fixture.clock.instant());
      assertThat(created.expiresAt()).isEqualTo(fixture.clock.instant().plus(LIFETIME));
      assertThat(await(store.findById(created.id()))).isEqualTo(created);
      assertThat(await(store.findOwned(owner, created.id()))).isEqualTo(created);
      assertThat(await(store.findByCallbackToken(created.callbackToken()))).isEqualTo(created);
      assertThat(await(store.findByDevice(APP, token))).containsExactly(created);
    }

    @Test
    void storesOnlyHashesOfTokensInKeys() {
      Registration created = register(owner(), fcmToken());

      fixture
          .allItems()
          .forEach(
              item ->
                  assertThat(item.get(TableLayout.PK).s())
                      .doesNotContain(created.callbackToken().value())
                      .doesNotContain(created.deviceToken().value()));
    }

    @Test
    void reRegisteringTheSameDeviceRefreshesTheSameRegistration() {
      OwnerHash owner = owner();
      DeviceToken token = apnsToken();
      Registration first = register(owner, token);

      fixture.clock.advance(Duration.ofDays(10));
      RegisterOutcome again = await(store.register(request(owner, token, binding("sub-1"))));

      assertThat(again).isInstanceOf(RegisterOutcome.Refreshed.class);
      Registration refreshed = again.registration();
      assertThat(refreshed.id()).isEqualTo(first.id());
      assertThat(refreshed.callbackToken()).isEqualTo(first.callbackToken());
      assertThat(refreshed.createdAt()).isEqualTo(first.createdAt());
      assertThat(refreshed.expiresAt()).isEqualTo(fixture.clock.instant().plus(LIFETIME));
      assertThat(refreshed.tokenRegisteredAt()).isEqualTo(fixture.clock.instant());
      assertThat(refreshed.binding()).isEqualTo(binding("sub-1"));
      assertThat(fixture.items(TableLayout.SK_REGISTRATION)).hasSize(1);
    }

    @Test
    void theSameDeviceForAnotherOwnerOrAppIsAnotherRegistration() {
      DeviceToken token = apnsToken();
      Registration mine = register(owner(), token);
      Registration theirs = register(owner(), token);
      Registration otherApp =
          await(
                  store.register(
                      new dev.inboxpush.store.NewRegistration(
                          mine.owner(),
                          AppId.of("com.example.other"),
                          ApnsEnvironment.PRODUCTION,
                          token,
                          mine.region(),
                          null,
                          LIFETIME)))
              .registration();

      assertThat(Set.of(mine.id(), theirs.id(), otherApp.id())).hasSize(3);
      assertThat(await(store.findByDevice(APP, token)))
          .extracting(Registration::id)
          .containsExactlyInAnyOrder(mine.id(), theirs.id());
    }

    @Test
    void eightConcurrentRegistrationsOfOneDeviceYieldOneRegistration() throws Exception {
      List<RegisterOutcome> outcomes =
          StoreFixture.registerConcurrently(store, request(owner(), apnsToken()), 8);

      Set<RegistrationId> ids =
          outcomes.stream().map(o -> o.registration().id()).collect(Collectors.toSet());
      assertThat(ids).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof RegisterOutcome.Created).hasSize(1);
      assertThat(fixture.items(TableLayout.SK_REGISTRATION)).hasSize(1);
      // one device claim (callback tokens need no pointer): the losers removed what they wrote
      assertThat(fixture.items(TableLayout.SK_POINTER)).hasSize(1);
      Registration winner = await(store.findById(ids.iterator().next()));
      assertThat(await(store.findByCallbackToken(winner.callbackToken()))).isEqualTo(winner);
    }

    @Test
    void aRequestWhoseEnvironmentDoesNotFitItsPlatformCannotBeMade() {
      assertThatThrownBy(
              () ->
                  new dev.inboxpush.store.NewRegistration(
                      owner(),
                      APP,
                      null,
                      apnsToken(),
                      dev.inboxpush.model.Region.EU_WEST_1,
                      null,
                      LIFETIME))
          .isInstanceOf(InvalidValueException.class)
          .hasMessage("apnsEnvironment: is required for an APNs device token");
      assertThatThrownBy(
              () ->
                  new dev.inboxpush.store.NewRegistration(
                      owner(),
                      APP,
                      ApnsEnvironment.SANDBOX,
                      fcmToken(),
                      dev.inboxpush.model.Region.EU_WEST_1,
                      null,
                      LIFETIME))
          .isInstanceOf(InvalidValueException.class)
          .hasMessage("apnsEnvironment: applies only to APNs device tokens");
      assertThat(fixture.allItems()).isEmpty();
    }

    @Test
    void instantsAreKeptToTheMillisecondAndHandedOutSo() {
      fixture.clock.set(Instant.parse("2026-11-27T12:00:00.123456789Z"));

      Registration created = register(owner(), apnsToken());

      assertThat(created.createdAt()).isEqualTo(Instant.parse("2026-11-27T12:00:00.123Z"));
      assertThat(await(store.findById(created.id()))).isEqualTo(created);
    }
  }

  @Nested
  class Lookups {

    @Test
    void anUnknownCallbackTokenFindsNothing() {
      register(owner(), apnsToken());

      assertThat(await(store.findByCallbackToken(CallbackToken.generate()))).isNull();
    }

    @Test
    void anotherOwnerCannotSeeTheRegistration() {
      Registration mine = register(owner(), apnsToken());

      assertThat(await(store.findOwned(owner(), mine.id()))).isNull();
      assertThat(await(store.findById(RegistrationId.random()))).isNull();
    }
  }

  @Nested
  class Binding {

    @Test
    void bindingMakesTheRegistrationFindableBySubscriptionId() {
      Registration registration = register(owner(), apnsToken());

      Registration bound =
          await(store.bind(registration.owner(), registration.id(), binding("sub-A")));

      assertThat(bound.binding()).isEqualTo(binding("sub-A"));
      assertThat(await(store.findBySubscriptionId(SubscriptionId.of("sub-A"))))
          .containsExactly(bound);
    }

    @Test
    void rebindingReplacesTheSubscription() {
      Registration registration = register(owner(), apnsToken());
      await(store.bind(registration.owner(), registration.id(), binding("sub-old")));

      Registration rebound =
          await(store.bind(registration.owner(), registration.id(), binding("sub-new")));

      assertThat(rebound.binding()).isEqualTo(binding("sub-new"));
      assertThat(await(store.findBySubscriptionId(SubscriptionId.of("sub-old")))).isEmpty();
      assertThat(await(store.findBySubscriptionId(SubscriptionId.of("sub-new"))))
          .extracting(Registration::id)
          .containsExactly(registration.id());
      assertThat(await(store.findByCallbackToken(registration.callbackToken())).binding())
          .isEqualTo(binding("sub-new"));
    }

    @Test
    void theBoundSubscriptionIsFoundByConsistentReadsAndFollowsRebindsAndDeletion() {
      Registration registration =
          await(store.register(request(owner(), apnsToken(), binding("sub-first")))).registration();
      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-first")))).isEqualTo(registration);

      Registration rebound =
          await(store.bind(registration.owner(), registration.id(), binding("sub-second")));

      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-first")))).isNull();
      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-second")))).isEqualTo(rebound);
      await(store.delete(registration.owner(), registration.id()));
      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-second")))).isNull();
      assertOnlyTheTombstoneOf(registration);
    }

    @Test
    void anotherCallerBindingTheSameSubscriptionIdDoesNotTakeThePointer() {
      Registration first =
          await(store.register(request(owner(), apnsToken(), binding("sub-shared"))))
              .registration();
      Registration intruder = register(owner(), apnsToken());

      await(store.bind(intruder.owner(), intruder.id(), binding("sub-shared")));
      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-shared"))).id())
          .isEqualTo(first.id());

      await(store.delete(intruder.owner(), intruder.id()));
      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-shared"))).id())
          .isEqualTo(first.id());
    }

    @Test
    void boundAtIsSetByBindingAndKeptByRefresh() {
      Registration registration = register(owner(), apnsToken());
      assertThat(registration.boundAt()).isNull();

      Instant bound = fixture.clock.advance(Duration.ofMinutes(5));
      await(store.bind(registration.owner(), registration.id(), binding("sub-at")));
      fixture.clock.advance(Duration.ofMinutes(5));
      Registration refreshed =
          await(store.refresh(registration.owner(), registration.id(), LIFETIME));

      assertThat(refreshed.boundAt()).isEqualTo(bound);
    }

    @Test
    void aCompatibilityBindingWithoutInboxIsKept() {
      Registration registration = register(owner(), apnsToken());
      SubscriptionBinding compatibility =
          SubscriptionBinding.compatibility(
              SubscriptionId.of("sub-compat"), new StatusFrequency(5));

      await(store.bind(registration.owner(), registration.id(), compatibility));

      assertThat(await(store.findBoundTo(SubscriptionId.of("sub-compat"))).binding())
          .isEqualTo(compatibility);
    }

    @Test
    void anotherOwnerCannotBind() {
      Registration registration = register(owner(), apnsToken());

      assertThat(await(store.bind(owner(), registration.id(), binding("sub-X")))).isNull();
      assertThat(await(store.findById(registration.id())).binding()).isNull();
    }
  }

  @Nested
  class Rotation {

    @Test
    void rotatingMovesTheRegistrationToTheNewToken() {
      OwnerHash owner = owner();
      DeviceToken oldToken = apnsToken();
      DeviceToken newToken = apnsToken();
      Registration registration = register(owner, oldToken);
      fixture.clock.advance(Duration.ofMinutes(5));

      RotateOutcome outcome = await(store.rotateToken(owner, registration.id(), newToken));

      assertThat(outcome).isInstanceOf(RotateOutcome.Rotated.class);
      Registration rotated = ((RotateOutcome.Rotated) outcome).registration();
      assertThat(rotated.id()).isEqualTo(registration.id());
      assertThat(rotated.deviceToken()).isEqualTo(newToken);
      assertThat(rotated.tokenRegisteredAt()).isEqualTo(fixture.clock.instant());
      assertThat(rotated.callbackToken()).isEqualTo(registration.callbackToken());
      assertThat(await(store.findByDevice(APP, newToken)))
          .extracting(Registration::id)
          .containsExactly(registration.id());
      assertThat(await(store.findByDevice(APP, oldToken))).isEmpty();
      // Registering the new token again finds the rotated registration...
      assertThat(await(store.register(request(owner, newToken))))
          .isInstanceOf(RegisterOutcome.Refreshed.class)
          .extracting(o -> o.registration().id())
          .isEqualTo(registration.id());
      // ...and the old token is free for a new one.
      assertThat(await(store.register(request(owner, oldToken))))
          .isInstanceOf(RegisterOutcome.Created.class);
    }

    @Test
    void rotatingToATokenTheOwnerAlreadyRegisteredIsAConflict() {
      OwnerHash owner = owner();
      DeviceToken taken = apnsToken();
      Registration registration = register(owner, apnsToken());
      register(owner, taken);

      assertThat(await(store.rotateToken(owner, registration.id(), taken)))
          .isInstanceOf(RotateOutcome.TokenInUse.class);
      assertThat(await(store.findById(registration.id())).deviceToken())
          .isEqualTo(registration.deviceToken());
    }

    @Test
    void rotatingAnotherOwnersRegistrationFindsNothing() {
      Registration registration = register(owner(), apnsToken());

      assertThat(await(store.rotateToken(owner(), registration.id(), apnsToken())))
          .isInstanceOf(RotateOutcome.NotFound.class);
    }

    @Test
    void rotatingToATokenOfAnotherPlatformIsInvalid() {
      Registration registration = register(owner(), apnsToken());

      assertThatThrownBy(
              () -> await(store.rotateToken(registration.owner(), registration.id(), fcmToken())))
          .isInstanceOf(InvalidValueException.class)
          .hasMessageContaining("platform");
    }
  }

  @Nested
  class Deletion {

    @Test
    void deletingRemovesTheRegistrationItsStateAndItsPointers() {
      Registration registration = register(owner(), apnsToken());
      await(
          fixture
              .store
              .listenerState()
              .update(registration.id(), new ListenerStateUpdate().unreadCount(3)));
      await(
          fixture.store.listenerState().setPending(registration.id(), 3, PushKind.NEW_MAIL, true));

      assertThat(await(store.delete(registration.owner(), registration.id()))).isTrue();

      assertOnlyTheTombstoneOf(registration);
      assertThat(await(store.findByCallbackToken(registration.callbackToken()))).isNull();
      assertThat(await(store.delete(registration.owner(), registration.id()))).isFalse();
    }

    @Test
    void anotherOwnerCannotDelete() {
      Registration registration = register(owner(), apnsToken());

      assertThat(await(store.delete(owner(), registration.id()))).isFalse();
      assertThat(await(store.findById(registration.id()))).isNotNull();
    }

    @Test
    void deleteAllOfAnOwnerLeavesOtherOwnersAlone() {
      OwnerHash wiped = owner();
      OwnerHash kept = owner();
      register(wiped, apnsToken());
      register(wiped, fcmToken());
      register(wiped, apnsToken());
      Registration survivor = register(kept, apnsToken());

      assertThat(await(store.deleteAllOf(wiped))).isEqualTo(3);

      assertThat(fixture.items(TableLayout.SK_REGISTRATION)).hasSize(1);
      assertThat(await(store.findById(survivor.id()))).isEqualTo(survivor);
      assertThat(await(store.deleteAllOf(wiped))).isZero();
    }

    @Test
    void aDeadTokenDeletesEveryOwnersRegistrationOfItRegisteredBeforeTheInvalidation() {
      DeviceToken token = apnsToken();
      Registration first = register(owner(), token);
      Registration second = register(owner(), token);
      Registration otherDevice = register(owner(), apnsToken());
      Instant invalidatedAt = fixture.clock.advance(Duration.ofMinutes(1));

      assertThat(await(store.deleteByDeviceToken(APP, token, invalidatedAt).collectList()))
          .extracting(Registration::id)
          .containsExactlyInAnyOrder(first.id(), second.id());

      assertThat(await(store.findById(first.id()))).isNull();
      assertThat(await(store.findById(second.id()))).isNull();
      assertThat(await(store.findById(otherDevice.id()))).isNotNull();
      // Listeners delete these, and may not update device claims: no tombstone, the claims gone.
      assertThat(fixture.items(TableLayout.SK_POINTER))
          .singleElement()
          .satisfies(
              claim ->
                  assertThat(claim.get(TableLayout.ATTR_REGISTRATION_ID).s())
                      .isEqualTo(otherDevice.id().value()));
    }

    @Test
    void aDeadTokenReportedAtTheInstantItWasRegisteredDeletes() {
      DeviceToken token = apnsToken();
      Registration registration = register(owner(), token);

      assertThat(
              await(
                  store
                      .deleteByDeviceToken(APP, token, registration.tokenRegisteredAt())
                      .collectList()))
          .extracting(Registration::id)
          .containsExactly(registration.id());
      assertThat(await(store.findById(registration.id()))).isNull();
    }

    @Test
    void aDeadTokenReportOlderThanAReRegistrationDeletesNothing() {
      OwnerHash owner = owner();
      DeviceToken token = apnsToken();
      register(owner, token);
      Instant invalidatedAt = fixture.clock.advance(Duration.ofMinutes(1));
      fixture.clock.advance(Duration.ofMinutes(1));
      Registration renewed = register(owner, token);

      assertThat(await(store.deleteByDeviceToken(APP, token, invalidatedAt).count())).isZero();

      assertThat(await(store.findById(renewed.id()))).isNotNull();
    }

    @Test
    void theOldTokenOfARotatedRegistrationReportedDeadDeletesNothing() {
      OwnerHash owner = owner();
      DeviceToken oldToken = apnsToken();
      DeviceToken newToken = apnsToken();
      Registration registration = register(owner, oldToken);
      fixture.clock.advance(Duration.ofMinutes(1));
      await(store.rotateToken(owner, registration.id(), newToken));

      Instant later = fixture.clock.advance(Duration.ofMinutes(1));
      assertThat(await(store.deleteByDeviceToken(APP, oldToken, later).count())).isZero();
      assertThat(await(store.findById(registration.id()))).isNotNull();
    }
  }

  @Nested
  class Expiry {

    @Test
    void anExpiredRegistrationIsInvisibleToEveryReadBeforeTtlRemovesIt() {
      Registration registration = register(owner(), apnsToken());
      await(store.bind(registration.owner(), registration.id(), binding("sub-exp")));

      fixture.clock.set(registration.expiresAt());

      assertThat(await(store.findById(registration.id()))).isNull();
      assertThat(await(store.findOwned(registration.owner(), registration.id()))).isNull();
      assertThat(await(store.findByCallbackToken(registration.callbackToken()))).isNull();
      assertThat(await(store.findByDevice(APP, registration.deviceToken()))).isEmpty();
      assertThat(await(store.findBySubscriptionId(SubscriptionId.of("sub-exp")))).isEmpty();
      assertThat(await(store.bind(registration.owner(), registration.id(), binding("sub-2"))))
          .isNull();
      assertThat(await(store.refresh(registration.owner(), registration.id(), LIFETIME))).isNull();
      // the item is still in the table: only reads hide it
      assertThat(fixture.items(TableLayout.SK_REGISTRATION)).hasSize(1);
    }

    @Test
    void refreshingBeforeExpiryExtendsItAndItsPointers() {
      Registration registration = register(owner(), apnsToken());
      fixture.clock.advance(Duration.ofDays(29));

      Registration refreshed =
          await(store.refresh(registration.owner(), registration.id(), LIFETIME));
      fixture.clock.advance(Duration.ofDays(2));

      assertThat(refreshed.expiresAt()).isAfter(fixture.clock.instant());
      assertThat(await(store.findByCallbackToken(registration.callbackToken())))
          .extracting(Registration::id)
          .isEqualTo(registration.id());
      long pointerTtl =
          fixture.items(TableLayout.SK_POINTER).stream()
              .mapToLong(item -> Long.parseLong(item.get(TableLayout.ATTR_TTL).n()))
              .min()
              .orElseThrow();
      assertThat(pointerTtl).isGreaterThan(refreshed.expiresAt().getEpochSecond());
    }

    @Test
    void anotherOwnerCannotRefresh() {
      Registration registration = register(owner(), apnsToken());

      assertThat(await(store.refresh(owner(), registration.id(), LIFETIME))).isNull();
      assertThat(await(store.findById(registration.id())).expiresAt())
          .isEqualTo(registration.expiresAt());
    }

    @Test
    void registeringAgainAfterExpiryCreatesAFreshRegistration() {
      OwnerHash owner = owner();
      DeviceToken token = fcmToken();
      Registration expired = register(owner, token);
      fixture.clock.set(expired.expiresAt().plusSeconds(1));

      RegisterOutcome outcome = await(store.register(request(owner, token)));

      assertThat(outcome).isInstanceOf(RegisterOutcome.Created.class);
      assertThat(outcome.registration().id()).isNotEqualTo(expired.id());
      assertThat(await(store.findByDevice(APP, token)))
          .extracting(Registration::id)
          .containsExactly(outcome.registration().id());
      assertThat(await(store.findByCallbackToken(expired.callbackToken()))).isNull();
    }
  }

  @Test
  void platformIsKeptWithTheToken() {
    Registration registration = register(owner(), fcmToken());

    assertThat(await(store.findById(registration.id())).platform()).isEqualTo(Platform.FCM);
    assertThat(await(store.findById(registration.id())).apnsEnvironment()).isNull();
  }
}
