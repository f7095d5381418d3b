package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.apnsToken;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static dev.inboxpush.store.dynamo.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.CallbackTarget;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.TableCall;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * A callback token names its registration, so that the registration and its listener state come in
 * one consistent read, and a token that does not match costs at most that read.
 */
class CallbackTargetIT {

  private static final List<TableCall> calls = new CopyOnWriteArrayList<>();
  private static DynamoDbAsyncClient counted;
  private static StoreFixture fixture;
  private static DynamoStore store;

  @BeforeAll
  static void open() {
    Dynalite dynalite = Dynalite.shared();
    fixture = new StoreFixture(dynalite);
    counted =
        DynamoClients.create(
            "us-east-1", dynalite.endpoint(), Duration.ofSeconds(5), 8, calls::add);
    store = DynamoStore.using(counted, fixture.settings, fixture.clock);
  }

  @AfterAll
  static void close() {
    fixture.close();
    counted.close();
  }

  @Test
  void theRegistrationAndItsStateComeInOneRead() {
    Registration registration =
        await(store.registrations().register(request(owner(), apnsToken()))).registration();
    assertThat(registration.callbackToken().registrationId()).contains(registration.id());

    calls.clear();
    CallbackTarget before = await(store.registrations().findTarget(registration.callbackToken()));
    assertThat(before.registration()).isEqualTo(registration);
    assertThat(before.state()).isEqualTo(ListenerState.empty(registration.id()));
    assertThat(calls).extracting(TableCall::operation).containsExactly("Query");

    await(
        store.listenerState().update(registration.id(), new ListenerStateUpdate().unreadCount(7)));
    calls.clear();
    CallbackTarget after = await(store.registrations().findTarget(registration.callbackToken()));
    assertThat(after.registration()).isEqualTo(registration);
    assertThat(after.state().lastUnreadCount()).isEqualTo(7);
    assertThat(after.state()).isEqualTo(await(store.listenerState().find(registration.id())));
    assertThat(calls).hasSize(2).extracting(TableCall::operation).containsOnly("Query", "GetItem");
  }

  @Test
  void aTokenNamingTheRegistrationWithAnotherSecretFindsNothing() {
    Registration registration =
        await(store.registrations().register(request(owner(), apnsToken()))).registration();
    CallbackToken forged = CallbackToken.generateFor(registration.id());

    assertThat(await(store.registrations().findTarget(forged))).isNull();
    assertThat(await(store.registrations().findByCallbackToken(forged))).isNull();
    assertThat(await(store.registrations().findTarget(registration.callbackToken()))).isNotNull();
  }

  @Test
  void aTokenThatNamesNoRegistrationCostsNoRead() {
    CallbackToken unnamed =
        CallbackToken.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));

    calls.clear();
    assertThat(await(store.registrations().findTarget(unnamed))).isNull();
    assertThat(await(store.registrations().findByCallbackToken(unnamed))).isNull();
    assertThat(calls).isEmpty();

    assertThat(await(store.registrations().findTarget(CallbackToken.generate()))).isNull();
    assertThat(calls).extracting(TableCall::operation).containsExactly("Query");
  }

  @Test
  void anExpiredOrDeletedRegistrationIsNoTarget() {
    Registration expiring =
        await(store.registrations().register(request(owner(), apnsToken()))).registration();
    Registration deleted =
        await(store.registrations().register(request(owner(), apnsToken()))).registration();
    await(store.registrations().delete(deleted.owner(), deleted.id()));
    assertThat(await(store.registrations().findTarget(deleted.callbackToken()))).isNull();

    Instant now = fixture.clock.instant();
    fixture.clock.advance(StoreFixture.LIFETIME.plusSeconds(1));
    try {
      assertThat(await(store.registrations().findTarget(expiring.callbackToken()))).isNull();
    } finally {
      fixture.clock.set(now);
    }
    assertThat(await(store.registrations().findTarget(expiring.callbackToken()))).isNotNull();
  }
}
