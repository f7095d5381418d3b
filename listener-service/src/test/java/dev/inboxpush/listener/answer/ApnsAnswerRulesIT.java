package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.APP;
import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.assertOk;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static dev.inboxpush.listener.answer.ListenerHarness.owner;
import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.inboxpush.listener.ManagementClient;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.time.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The answer rules that involve dispatch, with the real APNs dispatcher (pushy, token
 * authentication) in front of pushy's MockApnsServer over TLS instead of the scripted dispatcher:
 * every rejection the mock can send through the real endpoint, the reply to Exchange, the pending
 * badge, the deletion or not, and what arrived at the mock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
class ApnsAnswerRulesIT {

  private static final MockApns MOCK = MockApns.start();
  private static final MockApns.SigningKey KEY = MOCK.newSigningKey("KEY0000001", APP.value());

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("apns-answers", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    MOCK.listenerProperties(KEY, APP.value())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.answer.push-budget", () -> "2s");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("inboxpush.dispatch.circuit.minimum-calls", () -> "4");
    registry.add("inboxpush.dispatch.circuit.trial-calls", () -> "2");
    // One table, no replication: a dead token is final at once (ReplicationAllowanceIT and
    // ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @AfterAll
  static void stopMock() {
    MOCK.close();
  }

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;
  @Autowired DynamoStore store;
  @Autowired Clock clock;
  @Autowired RedeliveryWorker worker;
  @Autowired CircuitBreakerRegistry breakers;

  private ListenerHarness harness;
  private String token;

  @BeforeEach
  void setUp() {
    harness = new ListenerHarness(http, store);
    MOCK.reset();
    // Each test starts with closed circuits and an open valve, whatever the one before did.
    breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
    token = apnsToken();
    MOCK.allow(APP.value(), token);
  }

  private static byte[] newMailWithCount(String subscription, int count) {
    return EwsPayloads.notification(subscription)
        .itemCreated("item-1", INBOX)
        .newMail("item-1", INBOX)
        .folderModified(INBOX, count)
        .build();
  }

  private boolean exists(Registration registration) {
    return store.registrations().findById(registration.id()).block(TIMEOUT) != null;
  }

  @Test
  void anAcceptedPushArrivesAsTheDeviceContractSays() {
    Registration registration = harness.register(token, binding("sub-1"));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 6)));

    MockApns.Received arrived = MOCK.receivedFor(token).get(0);
    assertThat(MOCK.receivedFor(token)).hasSize(1);
    assertThat(arrived.accepted()).isTrue();
    assertThat(arrived.topic()).isEqualTo(APP.value());
    assertThat(arrived.payload())
        .isEqualTo(
            "{\"aps\":{\"badge\":6,\"content-available\":1},\"inboxpush\":{\"kind\":\"new-mail\","
                + "\"registrationId\":\""
                + registration.id().value()
                + "\"}}");
    assertThat(arrived.pushType()).isEqualTo(PushType.ALERT);
    assertThat(arrived.priority()).isEqualTo(DeliveryPriority.IMMEDIATE);
    assertThat(arrived.collapseId()).isEqualTo(registration.id().value());
    ListenerState state = harness.state(registration);
    assertThat(state.lastPushOutcome()).isEqualTo("accepted");
    assertThat(state.lastAcceptedAt(registration.platform(), registration.apnsEnvironment()))
        .isPresent();
    assertThat(state.pending()).isNull();
  }

  @ParameterizedTest
  @EnumSource(RejectionReason.class)
  void everyRejectionThroughTheEndpoint(RejectionReason reason) {
    Registration registration = harness.register(token, binding("sub-1"));
    MOCK.script(token, new MockApns.Reject(reason));
    Set<String> dead = Set.of("UNREGISTERED");
    Set<String> failed =
        Set.of(
            "BAD_COLLAPSE_ID",
            "BAD_EXPIRATION_DATE",
            "BAD_MESSAGE_ID",
            "BAD_PRIORITY",
            "DUPLICATE_HEADERS",
            "INVALID_PUSH_TYPE",
            "MISSING_DEVICE_TOKEN",
            "PAYLOAD_EMPTY",
            "BAD_PATH",
            "METHOD_NOT_ALLOWED",
            "PAYLOAD_TOO_LARGE");

    SubscriptionStatus reply = harness.post(registration, newMailWithCount("sub-1", 5));

    assertThat(MOCK.receivedFor(token))
        .singleElement()
        .extracting(MockApns.Received::rejection)
        .isEqualTo(reason);
    if (dead.contains(reason.name())) {
      // Dead: the token's registrations go, and Exchange is told to drop the subscription.
      assertThat(reply).isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
      assertThat(exists(registration)).isFalse();
      return;
    }
    assertThat(reply).isEqualTo(SubscriptionStatus.OK);
    assertThat(exists(registration)).isTrue();
    ListenerState state = harness.state(registration);
    if (failed.contains(reason.name())) {
      // Refused for good: retrying repeats the refusal, so nothing is parked.
      assertThat(state.lastPushOutcome()).isEqualTo("failed");
      assertThat(state.pending()).isNull();
    } else {
      // Retryable, or a configuration error (BadDeviceToken for a token never accepted here
      // included): the badge waits, pending, and nothing is deleted.
      Set<String> retryable =
          Set.of(
              "IDLE_TIMEOUT",
              "TOO_MANY_REQUESTS",
              "INTERNAL_SERVER_ERROR",
              "SERVICE_UNAVAILABLE",
              "SHUTDOWN");
      assertThat(state.lastPushOutcome())
          .isEqualTo(retryable.contains(reason.name()) ? "retryable" : "configuration_error");
      PendingBadge pending = state.pending();
      assertThat(pending).isNotNull();
      assertThat(pending.badge()).isEqualTo(5);
    }
  }

  @Test
  void badDeviceTokenAfterAnAcceptedPushIsDeadAndAnswersUnsubscribe() {
    Registration registration = harness.register(token, binding("sub-1"));
    assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));
    MOCK.script(token, new MockApns.Reject(RejectionReason.BAD_DEVICE_TOKEN));

    assertThat(harness.post(registration, newMailWithCount("sub-1", 2)))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);

    assertThat(exists(registration)).isFalse();
    assertThat(MOCK.receivedFor(token))
        .extracting(MockApns.Received::rejection)
        .containsExactly(null, RejectionReason.BAD_DEVICE_TOKEN);
  }

  @Test
  void theRedeliveryWorkerAlsoTreatsBadDeviceTokenOfATokenAcceptedBeforeAsDead() {
    Registration registration = harness.register(token, binding("sub-1"));
    assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));
    MOCK.script(token, new MockApns.Reject(RejectionReason.SERVICE_UNAVAILABLE));
    assertOk(harness.post(registration, newMailWithCount("sub-1", 2)));
    assertThat(harness.state(registration).pending()).isNotNull();

    MOCK.script(token, new MockApns.Reject(RejectionReason.BAD_DEVICE_TOKEN));
    worker.runOnce().block(TIMEOUT);

    assertThat(exists(registration)).isFalse();
    assertThat(MOCK.receivedFor(token))
        .extracting(MockApns.Received::rejection)
        .containsExactly(
            null, RejectionReason.SERVICE_UNAVAILABLE, RejectionReason.BAD_DEVICE_TOKEN);
  }

  @Test
  void aTokenApnsUnregisteredBeforeAReRegistrationSparesIt() {
    ((MutableClock) clock).advance(Duration.ofMinutes(1));
    MOCK.unregister(token, clock.instant().minus(Duration.ofDays(1)));
    Registration registration = harness.register(token, binding("sub-1"));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));

    assertThat(exists(registration)).isTrue();
    assertThat(MOCK.receivedFor(token)).singleElement().matches(r -> !r.accepted());
  }

  @Test
  void aPendingBadgeIsRedeliveredToApnsOnceItRecovers() {
    Registration registration = harness.register(token, binding("sub-1"));
    MOCK.script(token, new MockApns.Reject(RejectionReason.SERVICE_UNAVAILABLE));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 4)));
    assertThat(harness.state(registration).pending()).isNotNull();

    MOCK.unscript(token);
    worker.runOnce().block(TIMEOUT);

    List<MockApns.Received> arrived = MOCK.receivedFor(token);
    assertThat(arrived).hasSize(2);
    assertThat(arrived.get(1).accepted()).isTrue();
    assertThat(arrived.get(1).payload()).startsWith("{\"aps\":{\"badge\":4,");
    assertThat(harness.state(registration).pending()).isNull();
    assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("accepted");
  }

  @Test
  void aPushApnsDoesNotAnswerWithinTheBudgetGoesPendingAndExchangeGetsOk() {
    Registration registration = harness.register(token, binding("sub-1"));
    MOCK.script(token, new MockApns.Hold());
    try {
      assertOk(harness.post(registration, newMailWithCount("sub-1", 8)));
      assertThat(harness.state(registration).pending()).isNotNull();
      assertThat(harness.state(registration).pending().badge()).isEqualTo(8);
    } finally {
      MOCK.unscript(token);
      MOCK.release();
    }
  }

  @Test
  void aRetriedOkPostPushesOnce() {
    Registration registration = harness.register(token, binding("sub-1"));
    byte[] body = newMailWithCount("sub-1", 3);

    assertOk(harness.post(registration, body));
    assertOk(harness.post(registration, body));

    assertThat(MOCK.receivedFor(token)).hasSize(1);
  }

  @Test
  void twoAccountsOnOneDeviceArriveSummed() {
    Registration first = harness.register(owner(), token, binding("sub-a"));
    Registration second = harness.register(owner(), token, binding("sub-b"));

    assertOk(harness.post(first, newMailWithCount("sub-a", 3)));
    assertOk(harness.post(second, newMailWithCount("sub-b", 4)));

    assertThat(MOCK.receivedFor(token))
        .extracting(MockApns.Received::payload)
        .satisfiesExactly(
            payload -> assertThat(payload).startsWith("{\"aps\":{\"badge\":3,"),
            payload -> assertThat(payload).startsWith("{\"aps\":{\"badge\":7,"));
  }

  @Test
  void whileTheCircuitIsOpenBadgesGoPendingAndAreRedeliveredWhenItCloses() {
    String failing = apnsToken();
    MOCK.allow(APP.value(), failing);
    MOCK.script(failing, new MockApns.Fail());
    Registration broken = harness.register(failing, binding("sub-x"));
    for (int i = 0; i < 4; i++) {
      assertOk(harness.post(broken, newMailWithCount("sub-x", i)));
    }
    CircuitBreaker circuit =
        breakers.circuitBreaker("provider/apns/" + APP.value() + "/production");
    assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);

    Registration registration = harness.register(token, binding("sub-1"));
    assertOk(harness.post(registration, newMailWithCount("sub-1", 2)));

    assertThat(MOCK.receivedFor(token)).isEmpty();
    assertThat(harness.state(registration).pending()).isNotNull();
    assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("retryable");

    // The open time passes. The redelivery worker's pushes (this badge's, and those other tests
    // left pending) are the trial that closes the circuit; a badge that met the trial's limit
    // (circuit_open again) is rescheduled and goes out on a later run.
    ((MutableClock) clock).advance(Duration.ofSeconds(31));
    MOCK.unscript(failing);
    for (int run = 0; run < 5 && harness.state(registration).pending() != null; run++) {
      worker.runOnce().block(TIMEOUT);
      ((MutableClock) clock).advance(Duration.ofMinutes(1));
    }

    assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(MOCK.receivedFor(token)).singleElement().matches(MockApns.Received::accepted);
    assertThat(harness.state(registration).pending()).isNull();
  }

  @Test
  void dispatchMetricsArePublished() {
    Registration registration = harness.register(token, binding("sub-1"));
    assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));

    String scrape = ManagementClient.scrape(managementPort);

    assertThat(scrape)
        .contains(
            "inboxpush_dispatch_pushes_total{app=\"com.example.mail\",outcome=\"accepted\","
                + "platform=\"apns\",reason=\"none\"")
        .contains("inboxpush_dispatch_latency_seconds_bucket{platform=\"apns\"")
        .contains(
            "inboxpush_dispatch_in_flight{app=\"com.example.mail\",environment=\"production\"")
        .contains("inboxpush_dispatch_queued{")
        .contains(
            "resilience4j_circuitbreaker_state{name=\"provider/apns/com.example.mail/production\"")
        .contains("resilience4j_circuitbreaker_state{name=\"dead-tokens/apns/com.example.mail\"")
        .contains("inboxpush_apns_signing_key_age_seconds{app=\"com.example.mail\"")
        .contains("pushy_notifications_accepted_total{app=\"com.example.mail\"");
  }
}
