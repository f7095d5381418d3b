package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.apnsToken;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static dev.inboxpush.store.dynamo.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may take a subscription pointer: registrations made through the store (which points them
 * itself), then pointed again directly, at instants the store would not reach in a test.
 */
@ExtendWith(DynaliteExtension.class)
class SubscriptionPointersIT {

  private static final SubscriptionId SHARED = SubscriptionId.of("sub-shared");

  private StoreFixture fixture;
  private SubscriptionPointers pointers;

  @BeforeEach
  void openTable(Dynalite dynalite) {
    fixture = new StoreFixture(dynalite);
    pointers =
        new SubscriptionPointers(new TableRequests(fixture.raw, fixture.settings.tableName()));
  }

  @AfterEach
  void closeTable() {
    fixture.close();
  }

  private Registration registerBound(OwnerHash owner) {
    SubscriptionBinding binding =
        new SubscriptionBinding(SHARED, FolderId.of("AQMkInbox"), new StatusFrequency(15));
    return await(fixture.store.registrations().register(request(owner, apnsToken(), binding)))
        .registration();
  }

  @Test
  void anotherOwnersLivePointerIsLeftAloneAndALapsedOneIsTaken() {
    Registration holder = registerBound(owner());
    Registration other = registerBound(owner());
    assertThat(await(pointers.target(SHARED))).contains(holder.id());

    Instant lapsed = holder.expiresAt().plus(RegistrationItems.POINTER_GRACE).plusMillis(1);
    await(pointers.point(other, null, lapsed));

    assertThat(await(pointers.target(SHARED))).contains(other.id());
  }

  @Test
  void theSameOwnersOtherRegistrationTakesThePointer() {
    OwnerHash owner = owner();
    Registration first = registerBound(owner);
    Registration second = registerBound(owner);

    assertThat(await(pointers.target(SHARED))).contains(second.id());
    assertThat(second.id()).isNotEqualTo(first.id());
  }

  @Test
  void onlyTheNamedRegistrationReleasesThePointer() {
    Registration holder = registerBound(owner());
    Registration other = registerBound(owner());

    await(pointers.release(SHARED, other.id()));
    assertThat(await(pointers.target(SHARED))).contains(holder.id());

    await(pointers.release(SHARED, holder.id()));
    assertThat(await(pointers.target(SHARED))).isEmpty();
  }
}
