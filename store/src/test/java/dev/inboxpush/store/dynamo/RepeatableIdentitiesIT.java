package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.apnsToken;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static dev.inboxpush.store.dynamo.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.ClientStateHash;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationIdentities;
import dev.inboxpush.store.RotateOutcome;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Registration with {@linkplain RegistrationIdentities#repeatable() repeatable} identities, as the
 * registration API registers. Two tables stand for two regions' replicas of the Global Table before
 * replication has brought either the other's writes: a device registered in both gets the same
 * registration in both, item for item, so last-writer-wins leaves one registration whatever order
 * the writes replicate in. A registration item that replicated before its claim is adopted, not
 * duplicated. The derivation here is a stand-in (the registration API's is keyed).
 */
@ExtendWith(DynaliteExtension.class)
class RepeatableIdentitiesIT {

  /** Ids and secrets that are a function of their arguments (SHA-256; unkeyed, test only). */
  static final RegistrationIdentities REPEATABLE =
      new RegistrationIdentities() {
        @Override
        public RegistrationId newId(String deviceClaim, @Nullable RegistrationId replaced) {
          byte[] digest = sha256("id|" + deviceClaim + "|" + replaced);
          return new RegistrationId(UUID.nameUUIDFromBytes(digest).toString());
        }

        @Override
        public CallbackToken callbackToken(RegistrationId id) {
          return CallbackToken.of(id, sha256("cb|" + id.value()));
        }

        @Override
        public ClientStateHash clientStateHash(RegistrationId id) {
          return ClientStateHash.parse(
              Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("cs|" + id.value())));
        }

        @Override
        public boolean repeatable() {
          return true;
        }
      };

  private StoreFixture regionA;
  private StoreFixture regionB;

  @BeforeEach
  void open(Dynalite dynalite) {
    regionA = new StoreFixture(dynalite, REPEATABLE);
    regionB = new StoreFixture(dynalite, REPEATABLE);
  }

  @AfterEach
  void close() {
    regionA.close();
    regionB.close();
  }

  @Test
  void aDeviceRegisteredInTwoRegionsBeforeEitherReplicatedIsOneRegistration() {
    OwnerHash owner = owner();
    DeviceToken token = apnsToken();

    RegisterOutcome inA = await(regionA.store.registrations().register(request(owner, token)));
    regionB.clock.advance(Duration.ofSeconds(2));
    RegisterOutcome inB = await(regionB.store.registrations().register(request(owner, token)));

    assertThat(inA).isInstanceOf(RegisterOutcome.Created.class);
    assertThat(inB).isInstanceOf(RegisterOutcome.Created.class);
    assertThat(inB.registration().id()).isEqualTo(inA.registration().id());
    assertThat(inB.registration().callbackToken()).isEqualTo(inA.registration().callbackToken());
    // The same items under the same keys: replication merges them into one registration.
    assertThat(keys(regionB)).isEqualTo(keys(regionA)).hasSize(2);
    assertThat(regionA.items(TableLayout.SK_POINTER).get(0).get("registrationId").s())
        .isEqualTo(inA.registration().id().value());
    assertThat(regionB.items(TableLayout.SK_POINTER).get(0).get("registrationId").s())
        .isEqualTo(inA.registration().id().value());
  }

  @Test
  void aRegistrationThatReplicatedBeforeItsClaimIsAdoptedNotDuplicated() {
    OwnerHash owner = owner();
    DeviceToken token = apnsToken();
    Registration inA =
        await(regionA.store.registrations().register(request(owner, token))).registration();
    // DynamoDB replicates item by item, in no promised order: here the registration item arrived
    // in B and its device claim did not.
    Map<String, AttributeValue> registrationItem =
        regionA.items(TableLayout.SK_REGISTRATION).get(0);
    regionB
        .raw
        .putItem(b -> b.tableName(regionB.settings.tableName()).item(registrationItem))
        .join();

    RegisterOutcome inB = await(regionB.store.registrations().register(request(owner, token)));

    assertThat(inB).isInstanceOf(RegisterOutcome.Refreshed.class);
    assertThat(inB.registration().id()).isEqualTo(inA.id());
    assertThat(inB.registration().callbackToken()).isEqualTo(inA.callbackToken());
    assertThat(regionB.items(TableLayout.SK_REGISTRATION)).hasSize(1);
    assertThat(keys(regionB)).isEqualTo(keys(regionA));
  }

  @Test
  void anIdTakenByTheRotatedRegistrationIsSkippedAndLeftAlone() {
    OwnerHash owner = owner();
    DeviceToken first = apnsToken();
    DeviceToken next = apnsToken();
    List<RegistrationId> ids = new ArrayList<>();
    for (StoreFixture region : List.of(regionA, regionB)) {
      Registration original =
          await(region.store.registrations().register(request(owner, first))).registration();
      assertThat(await(region.store.registrations().rotateToken(owner, original.id(), next)))
          .isInstanceOf(RotateOutcome.Rotated.class);

      // The first token registered again: its first id is the rotated registration's.
      RegisterOutcome again = await(region.store.registrations().register(request(owner, first)));

      assertThat(again).isInstanceOf(RegisterOutcome.Created.class);
      assertThat(again.registration().id()).isNotEqualTo(original.id());
      Registration rotated = await(region.store.registrations().findById(original.id()));
      assertThat(rotated.deviceToken()).isEqualTo(next);
      assertThat(rotated.callbackToken()).isEqualTo(original.callbackToken());
      ids.add(original.id());
      ids.add(again.registration().id());
    }
    // The next id in the device's sequence, the same in both regions.
    assertThat(ids.subList(2, 4)).isEqualTo(ids.subList(0, 2));
  }

  @Test
  void aRegistrationReplacingAnExpiredOneHasTheSameNewIdInBothRegions() {
    OwnerHash owner = owner();
    DeviceToken token = apnsToken();
    List<RegistrationId> ids = new ArrayList<>();
    for (StoreFixture region : List.of(regionA, regionB)) {
      Registration expired =
          await(region.store.registrations().register(request(owner, token))).registration();
      region.clock.advance(StoreFixture.LIFETIME.plusMinutes(1));

      RegisterOutcome replacement =
          await(region.store.registrations().register(request(owner, token)));

      assertThat(replacement).isInstanceOf(RegisterOutcome.Created.class);
      assertThat(replacement.registration().id()).isNotEqualTo(expired.id());
      ids.add(replacement.registration().id());
    }
    assertThat(ids.get(1)).isEqualTo(ids.get(0));
  }

  @Test
  void registeringAgainAfterADeletionTakesTheNextIdentityTheSameInBothRegions() {
    OwnerHash owner = owner();
    DeviceToken token = apnsToken();
    List<Registration> again = new ArrayList<>();
    Registration first = null;
    for (StoreFixture region : List.of(regionA, regionB)) {
      first = await(region.store.registrations().register(request(owner, token))).registration();
      assertThat(await(region.store.registrations().delete(owner, first.id()))).isTrue();

      RegisterOutcome outcome = await(region.store.registrations().register(request(owner, token)));

      assertThat(outcome).isInstanceOf(RegisterOutcome.Created.class);
      again.add(outcome.registration());
    }
    // The deleted registration's URL is not handed out again: its claim remembers it.
    assertThat(again.get(0).id()).isNotEqualTo(first.id());
    assertThat(again.get(0).callbackToken()).isNotEqualTo(first.callbackToken());
    assertThat(again.get(1).id()).isEqualTo(again.get(0).id());
    assertThat(again.get(1).callbackToken()).isEqualTo(again.get(0).callbackToken());
  }

  @Test
  void anIdWhosePartitionHoldsLeftoverListenerStateIsSkippedAndTheLeftoverLeftAlone() {
    OwnerHash owner = owner();
    DeviceToken token = apnsToken();
    RegistrationId first =
        REPEATABLE.newId(TableLayout.claimPk(StoreFixture.APP, token, owner), null);
    // Listener state of an earlier registration under that id, outliving its registration.
    Map<String, AttributeValue> leftover =
        Map.of(
            TableLayout.PK,
            AttributeValue.fromS("REG#" + first.value()),
            TableLayout.SK,
            AttributeValue.fromS(TableLayout.SK_LISTENER),
            "lastSeen",
            AttributeValue.fromN("1"));
    regionA.raw.putItem(b -> b.tableName(regionA.settings.tableName()).item(leftover)).join();

    Registration registration =
        await(regionA.store.registrations().register(request(owner, token))).registration();

    assertThat(registration.id()).isNotEqualTo(first);
    assertThat(regionA.items(TableLayout.SK_LISTENER)).containsExactly(leftover);
  }

  @Test
  void eightConcurrentRegistrationsOfOneDeviceYieldOneRegistration() throws Exception {
    List<RegisterOutcome> outcomes =
        StoreFixture.registerConcurrently(
            regionA.store.registrations(), request(owner(), apnsToken()), 8);

    Set<RegistrationId> ids =
        outcomes.stream().map(o -> o.registration().id()).collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
    assertThat(regionA.items(TableLayout.SK_REGISTRATION)).hasSize(1);
    assertThat(regionA.items(TableLayout.SK_POINTER)).hasSize(1);
    Registration stored = await(regionA.store.registrations().findById(ids.iterator().next()));
    assertThat(stored).isNotNull();
    // Requests that wrote the same item in the same millisecond (the test's clock stands still)
    // all created it; every one answers the registration as it is stored.
    assertThat(outcomes).extracting(RegisterOutcome::registration).containsOnly(stored);
    assertThat(outcomes).filteredOn(o -> o instanceof RegisterOutcome.Created).isNotEmpty();
  }

  @Test
  void anEwsAndAGraphRegistrationOfOneDeviceAtOnceAreOneRegistrationAndConflicts()
      throws Exception {
    OwnerHash owner = owner();
    DeviceToken token = apnsToken();
    NewRegistration ews = request(owner, token);
    NewRegistration graph =
        new NewRegistration(
            owner,
            StoreFixture.APP,
            ews.apnsEnvironment(),
            token,
            ews.region(),
            RegistrationKind.GRAPH,
            null,
            ClientState.generate().hash(),
            StoreFixture.LIFETIME);
    List<NewRegistration> requests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      requests.add(ews);
      requests.add(graph);
    }

    // Same id for both kinds, same millisecond: only the kind tells the writes apart.
    List<RegisterOutcome> outcomes =
        StoreFixture.registerConcurrently(regionA.store.registrations(), requests);

    assertThat(regionA.items(TableLayout.SK_REGISTRATION)).hasSize(1);
    Registration stored =
        await(regionA.store.registrations().findById(outcomes.get(0).registration().id()));
    for (int i = 0; i < requests.size(); i++) {
      RegisterOutcome outcome = outcomes.get(i);
      assertThat(outcome.registration()).as("answer %d", i).isEqualTo(stored);
      assertThat(outcome instanceof RegisterOutcome.KindConflict)
          .as(
              "answer %d, a %s request against the stored %s",
              i, requests.get(i).kind(), stored.kind())
          .isEqualTo(requests.get(i).kind() != stored.kind());
    }
  }

  /** Each item's key, pk and sk. */
  private static Set<String> keys(StoreFixture region) {
    return region.allItems().stream()
        .map(item -> item.get(TableLayout.PK).s() + " " + item.get(TableLayout.SK).s())
        .collect(Collectors.toSet());
  }

  private static byte[] sha256(String text) {
    try {
      return Arrays.copyOf(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
