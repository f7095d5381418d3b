package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphValuesTests {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void aClientStateIsRandomUrlSafeAndWithinGraphsLimit() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ClientState secret = ClientState.generate();
      assertThat(secret.value()).matches("[A-Za-z0-9_-]{43}");
      assertThat(seen.add(secret.value())).isTrue();
    }
    ClientState secret = ClientState.generate();
    assertThat(secret.toString()).doesNotContain(secret.value());
  }

  @Test
  void theHashVerifiesTheSecretAndNothingElse() {
    ClientState secret = ClientState.generate();
    ClientStateHash hash = secret.hash();

    assertThat(hash.value()).isNotEqualTo(secret.value()).hasSize(43);
    assertThat(hash.matches(secret.value())).isTrue();
    assertThat(ClientStateHash.parse(hash.value()).matches(secret.value())).isTrue();
    assertThat(hash.matches(secret.value() + "x")).isFalse();
    assertThat(hash.matches(secret.value().substring(1))).isFalse();
    assertThat(hash.matches(ClientState.generate().value())).isFalse();
    assertThat(hash.matches("")).isFalse();
    assertThat(hash.matches(null)).isFalse();
    assertThat(hash.matches("a".repeat(256))).isFalse();
    assertThat(hash.toString()).doesNotContain(hash.value());
  }

  @Test
  void aStoredHashMustHaveTheDigestsLength() {
    assertThatThrownBy(() -> ClientStateHash.parse("short"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("clientStateHash: must be 43 to 43 characters long");
    assertThatThrownBy(() -> ClientStateHash.parse(null))
        .hasMessage("clientStateHash: is required");
  }

  @Test
  void graphSubscriptionIdsAreGuids() {
    assertThat(GraphSubscription.id("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b").value())
        .isEqualTo("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b");
    for (String bad :
        new String[] {"", "8e4f6a2c1b3d4e5f9a7b0c1d2e3f4a5b", "AAMkAGVmSAMPLE", "8e4f6a2c-1b3d"}) {
      assertThatThrownBy(() -> GraphSubscription.id(bad))
          .isInstanceOf(InvalidValueException.class)
          .hasMessageStartingWith("subscriptionId: ");
    }
    assertThatThrownBy(() -> GraphSubscription.id(null)).hasMessage("subscriptionId: is required");
  }

  @Test
  void aGraphSubscriptionExpiresAtItsInstant() {
    GraphSubscription subscription =
        new GraphSubscription(
            GraphSubscription.id("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b"), NOW.plusSeconds(60));
    assertThat(subscription.isExpiredAt(NOW)).isFalse();
    assertThat(subscription.isExpiredAt(NOW.plusSeconds(60))).isTrue();
  }

  @Test
  void kindsAndLifecycleEventsParseTheirWireNames() {
    assertThat(RegistrationKind.fromWire("kind", null)).isEqualTo(RegistrationKind.EWS);
    assertThat(RegistrationKind.fromWire("kind", "Graph")).isEqualTo(RegistrationKind.GRAPH);
    assertThatThrownBy(() -> RegistrationKind.fromWire("kind", "imap"))
        .hasMessage("kind: must be one of ews, graph");
    assertThat(GraphLifecycleEvent.fromGraph("subscriptionRemoved"))
        .contains(GraphLifecycleEvent.SUBSCRIPTION_REMOVED);
    assertThat(GraphLifecycleEvent.fromGraph("somethingNew")).isEmpty();
  }

  @Test
  void aGraphRegistrationHasAClientStateAndNoEwsBinding() {
    SubscriptionId graphId = GraphSubscription.id("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b");
    GraphSubscription subscription = new GraphSubscription(graphId, NOW.plus(Duration.ofDays(2)));
    Registration graph = registration(RegistrationKind.GRAPH, null, hash(), subscription, NOW);
    assertThat(graph.boundSubscriptionId()).isEqualTo(graphId);

    assertThatThrownBy(() -> registration(RegistrationKind.GRAPH, null, null, null, null))
        .hasMessage("kind: a graph registration has a clientState and no EWS subscription");
    SubscriptionBinding ews =
        SubscriptionBinding.of(
            SubscriptionId.of("ews-sub"), FolderId.of("inbox-folder"), new StatusFrequency(5));
    assertThatThrownBy(() -> registration(RegistrationKind.GRAPH, ews, hash(), null, NOW))
        .hasMessage("kind: a graph registration has a clientState and no EWS subscription");
    assertThatThrownBy(() -> registration(RegistrationKind.EWS, null, hash(), null, null))
        .hasMessage("kind: an ews registration has no Graph subscription");
    assertThatThrownBy(() -> registration(RegistrationKind.GRAPH, null, hash(), subscription, null))
        .hasMessage("boundAt: is present exactly when a subscription is bound");
  }

  private static ClientStateHash hash() {
    return ClientState.generate().hash();
  }

  private static Registration registration(
      RegistrationKind kind,
      SubscriptionBinding binding,
      ClientStateHash clientState,
      GraphSubscription graph,
      Instant boundAt) {
    return new Registration(
        RegistrationId.random(),
        OwnerHash.of("cd".repeat(32)),
        AppId.of("com.example.mail"),
        null,
        DeviceToken.of(Platform.FCM, "fcm-token-0123456789"),
        CallbackToken.generate(),
        Region.EU_WEST_1,
        kind,
        binding,
        clientState,
        graph,
        boundAt,
        NOW,
        NOW,
        NOW,
        NOW.plus(Duration.ofDays(30)));
  }
}
