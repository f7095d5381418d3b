package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.APP;
import static dev.inboxpush.store.dynamo.StoreFixture.LIFETIME;
import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static dev.inboxpush.store.dynamo.StoreFixture.fcmToken;
import static dev.inboxpush.store.dynamo.StoreFixture.owner;
import static dev.inboxpush.store.dynamo.StoreFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.GraphLifecycle;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Registrations of kind {@code graph}: kept apart from EWS ones, bound through their own call. */
@ExtendWith(DynaliteExtension.class)
class GraphRegistrationsIT {

  private static final SubscriptionId GRAPH_ID =
      GraphSubscription.id("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b");

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

  private static NewRegistration graphRequest(
      OwnerHash owner, DeviceToken token, ClientState secret) {
    return new NewRegistration(
        owner,
        APP,
        null,
        token,
        Region.EU_WEST_1,
        RegistrationKind.GRAPH,
        null,
        secret.hash(),
        LIFETIME);
  }

  @Test
  void aGraphRegistrationKeepsItsKindAndOnlyTheHashOfItsSecret() {
    ClientState secret = ClientState.generate();
    Registration created =
        await(store.register(graphRequest(owner(), fcmToken(), secret))).registration();

    assertThat(created.kind()).isEqualTo(RegistrationKind.GRAPH);
    Registration read = await(store.findByCallbackToken(created.callbackToken()));
    assertThat(read).isEqualTo(created);
    assertThat(read.clientState().matches(secret.value())).isTrue();
    assertThat(read.graphSubscription()).isNull();
    fixture
        .allItems()
        .forEach(
            item ->
                item.values().stream()
                    .map(AttributeValue::s)
                    .forEach(value -> assertThat(value).isNotEqualTo(secret.value())));
  }

  @Test
  void bindingAGraphSubscriptionRecordsItsIdExpiryAndWhen() {
    OwnerHash owner = owner();
    Registration created =
        await(store.register(graphRequest(owner, fcmToken(), ClientState.generate())))
            .registration();
    fixture.clock.advance(Duration.ofMinutes(5));
    GraphSubscription subscription =
        new GraphSubscription(GRAPH_ID, fixture.clock.instant().plus(Duration.ofDays(2)));

    Registration bound = await(store.bindGraph(owner, created.id(), subscription));

    assertThat(bound.graphSubscription()).isEqualTo(subscription);
    assertThat(bound.boundAt()).isEqualTo(fixture.clock.instant());
    assertThat(bound.boundSubscriptionId()).isEqualTo(GRAPH_ID);
    assertThat(await(store.findById(created.id()))).isEqualTo(bound);
    // Another owner cannot bind it.
    assertThat(await(store.bindGraph(owner(), created.id(), subscription))).isNull();
  }

  @Test
  void eachKindRefusesTheOthersBinding() {
    OwnerHash owner = owner();
    Registration graph =
        await(store.register(graphRequest(owner, fcmToken(), ClientState.generate())))
            .registration();
    Registration ews = await(store.register(request(owner, fcmToken()))).registration();
    SubscriptionBinding ewsBinding =
        SubscriptionBinding.of(
            SubscriptionId.of("ews-subscription"), FolderId.of("inbox"), new StatusFrequency(5));
    GraphSubscription graphBinding =
        new GraphSubscription(GRAPH_ID, fixture.clock.instant().plus(Duration.ofDays(1)));

    assertThat(await(store.bind(owner, graph.id(), ewsBinding))).isNull();
    assertThat(await(store.bindGraph(owner, ews.id(), graphBinding))).isNull();
    assertThat(await(store.findById(graph.id()))).isEqualTo(graph);
    assertThat(await(store.findById(ews.id()))).isEqualTo(ews);
  }

  @Test
  void reRegisteringWithTheOtherKindChangesNothingAndSaysSo() {
    OwnerHash owner = owner();
    DeviceToken token = fcmToken();
    Registration ews = await(store.register(request(owner, token))).registration();
    Map<String, AttributeValue> before =
        fixture.items(TableLayout.SK_REGISTRATION).stream().findFirst().orElseThrow();
    fixture.clock.advance(Duration.ofDays(1));

    RegisterOutcome outcome =
        await(store.register(graphRequest(owner, token, ClientState.generate())));

    assertThat(outcome).isInstanceOf(RegisterOutcome.KindConflict.class);
    assertThat(outcome.registration()).isEqualTo(ews);
    assertThat(fixture.items(TableLayout.SK_REGISTRATION)).containsExactly(before);
    assertThat(await(store.findByDevice(APP, token))).containsExactly(ews);

    // And the same the other way round; the same kind still refreshes.
    DeviceToken other = fcmToken();
    Registration graph =
        await(store.register(graphRequest(owner, other, ClientState.generate()))).registration();
    assertThat(await(store.register(request(owner, other))))
        .isInstanceOf(RegisterOutcome.KindConflict.class);
    assertThat(await(store.register(graphRequest(owner, other, ClientState.generate()))))
        .isInstanceOf(RegisterOutcome.Refreshed.class)
        .extracting(RegisterOutcome::registration)
        .satisfies(
            refreshed -> {
              assertThat(refreshed.id()).isEqualTo(graph.id());
              // The first secret stays: the app that holds it keeps working.
              assertThat(refreshed.clientState()).isEqualTo(graph.clientState());
            });
  }

  @Test
  void theListenerStateKeepsTheLastLifecycleEvent() {
    Registration created =
        await(store.register(graphRequest(owner(), fcmToken(), ClientState.generate())))
            .registration();
    GraphLifecycle removed =
        new GraphLifecycle(
            GraphLifecycleEvent.SUBSCRIPTION_REMOVED, GRAPH_ID, fixture.clock.instant());

    await(
        fixture
            .store
            .listenerState()
            .update(created.id(), new ListenerStateUpdate().graphLifecycle(removed)));

    ListenerState state = await(fixture.store.listenerState().find(created.id()));
    assertThat(state.graphLifecycle()).isEqualTo(removed);
    assertThat(removed.isCurrent(null, null)).isTrue();
    // A bind after the removal clears it, unless it binds the removed subscription again.
    SubscriptionId other = GraphSubscription.id("0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d");
    assertThat(removed.isCurrent(removed.at().plusMillis(1), other)).isFalse();
    assertThat(removed.isCurrent(removed.at().plusMillis(1), GRAPH_ID)).isTrue();
    GraphLifecycle reauthorize =
        new GraphLifecycle(
            GraphLifecycleEvent.REAUTHORIZATION_REQUIRED, GRAPH_ID, fixture.clock.instant());
    assertThat(reauthorize.isCurrent(reauthorize.at().plusMillis(1), GRAPH_ID)).isFalse();
    assertThat(reauthorize.isCurrent(reauthorize.at().minusMillis(1), GRAPH_ID)).isTrue();
    assertThat(removed.removed(GRAPH_ID)).isTrue();
    assertThat(removed.removed(other)).isFalse();
    assertThat(reauthorize.removed(GRAPH_ID)).isFalse();
  }
}
