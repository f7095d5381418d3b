package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.APP;
import static dev.inboxpush.store.dynamo.StoreFixture.apnsToken;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The claim conditions on their own: what the registration store's races rest on. */
@ExtendWith(DynaliteExtension.class)
class DeviceClaimsIT {

  private StoreFixture fixture;
  private DeviceClaims claims;
  private final String claimPk = TableLayout.claimPk(APP, apnsToken(), owner());
  private final RegistrationId first = RegistrationId.random();
  private final RegistrationId second = RegistrationId.random();
  private final RegistrationId third = RegistrationId.random();

  @BeforeEach
  void openTable(Dynalite dynalite) {
    fixture = new StoreFixture(dynalite);
    claims = new DeviceClaims(new TableRequests(fixture.raw, fixture.settings.tableName()));
  }

  @AfterEach
  void closeTable() {
    fixture.close();
  }

  private Instant now() {
    return fixture.clock.instant();
  }

  private Instant expiresAt() {
    return now().plus(StoreFixture.LIFETIME);
  }

  @Test
  void aFreeClaimIsTakenOnce() {
    assertThat(await(claims.holder(claimPk))).isEmpty();

    assertThat(await(claims.claim(claimPk, null, first, expiresAt(), now()))).isTrue();
    assertThat(await(claims.claim(claimPk, null, second, expiresAt(), now()))).isFalse();

    assertThat(await(claims.holder(claimPk))).contains(first);
  }

  @Test
  void aClaimIsTakenOverOnlyFromTheHolderTheCallerRead() {
    await(claims.claim(claimPk, null, first, expiresAt(), now()));

    assertThat(await(claims.claim(claimPk, first, second, expiresAt(), now()))).isTrue();
    assertThat(await(claims.claim(claimPk, first, third, expiresAt(), now()))).isFalse();

    assertThat(await(claims.holder(claimPk))).contains(second);
  }

  @Test
  void onlyTheHolderReleasesAClaim() {
    await(claims.claim(claimPk, null, first, expiresAt(), now()));

    await(claims.release(claimPk, second, now()));
    assertThat(await(claims.holder(claimPk))).contains(first);

    await(claims.release(claimPk, first, now()));
    assertThat(await(claims.holder(claimPk))).isEqualTo(Optional.empty());
  }

  @Test
  void aReleasedClaimRemembersTheRetiredRegistrationAndIsFreeToTake() {
    await(claims.claim(claimPk, null, first, expiresAt(), now()));
    await(claims.release(claimPk, first, now()));

    DeviceClaims.Claim released = await(claims.read(claimPk));
    assertThat(released.holder()).isEmpty();
    assertThat(released.retired()).isEqualTo(first);
    Map<String, AttributeValue> tombstone = fixture.items(TableLayout.SK_POINTER).get(0);
    assertThat(Attributes.instant(tombstone, TableLayout.ATTR_EXPIRES_AT))
        .isEqualTo(now().plus(DeviceClaims.RETIRED_KEPT));

    // Free: taken by a claimant that read it free; then held as any claim.
    assertThat(await(claims.claim(claimPk, null, second, expiresAt(), now()))).isTrue();
    assertThat(await(claims.claim(claimPk, null, third, expiresAt(), now()))).isFalse();
    DeviceClaims.Claim taken = await(claims.read(claimPk));
    assertThat(taken.holder()).contains(second);
    assertThat(taken.retired()).isNull();
  }

  @Test
  void aClaimOutlivesItsRegistrationByTheGrace() {
    Instant expiresAt = expiresAt();
    await(claims.claim(claimPk, null, first, expiresAt, now()));

    Map<String, AttributeValue> item = fixture.items(TableLayout.SK_POINTER).get(0);
    assertThat(Attributes.instant(item, TableLayout.ATTR_EXPIRES_AT))
        .isEqualTo(expiresAt.plus(RegistrationItems.POINTER_GRACE));
  }
}
