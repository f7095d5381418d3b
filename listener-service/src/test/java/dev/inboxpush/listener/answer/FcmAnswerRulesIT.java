package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.assertOk;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.fcm.FcmErrorCode;
import dev.inboxpush.testsupport.fcm.FcmFailure;
import dev.inboxpush.testsupport.fcm.FcmRequest;
import dev.inboxpush.testsupport.tls.TestPki;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The end-to-end Android path: a SOAP POST in through the real endpoint, the right FCM message at
 * the fake FCM server through the real firebase-admin client (service-account credentials read from
 * a file, its own HTTP/2 transport), the right reply to Exchange; dead tokens, pending badges and
 * their redelivery.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
class FcmAnswerRulesIT {

  private static final String PROJECT = "demo-project";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final FakeFcmServer FCM = FakeFcmServer.builder().build().start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("fcm-answers", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    String account = FCM.newServiceAccount(PROJECT).file().toString();
    String trusted = TestPki.writeTemp(FCM.trustRoot().getCertificatePEM(), ".pem").toString();
    registry.add("inboxpush.fcm.projects[0].project-id", () -> PROJECT);
    registry.add("inboxpush.fcm.projects[0].credentials-file", () -> account);
    registry.add("inboxpush.fcm.base-url", FCM::baseUrl);
    registry.add("inboxpush.fcm.trusted-server-certificates", () -> trusted);
    registry.add("inboxpush.fcm.apps-per-project", () -> "2");
    registry.add("inboxpush.listener.answer.push-budget", () -> "3s");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: a dead token is final at once (ReplicationAllowanceIT and
    // ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @AfterAll
  static void stopFake() {
    FCM.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired RedeliveryWorker worker;

  private ListenerHarness harness;
  private String token;

  @BeforeEach
  void setUp() {
    harness = new ListenerHarness(http, store);
    FCM.reset();
    byte[] bytes = new byte[96];
    RANDOM.nextBytes(bytes);
    token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] newMailWithCount(String subscription, int count) {
    return EwsPayloads.notification(subscription)
        .itemCreated("item-1", INBOX)
        .newMail("item-1", INBOX)
        .folderModified(INBOX, count)
        .build();
  }

  @Test
  void newMailArrivesAtFcmAsTheDeviceContractSaysAndExchangeGetsOk() {
    Registration registration = harness.registerFcm(PROJECT, token, binding("sub-1"));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 5)));

    FcmRequest arrived = FCM.requestsFor(token).get(0);
    assertThat(FCM.requestsFor(token)).hasSize(1);
    assertThat(arrived.accepted()).isTrue();
    assertThat(arrived.project()).isEqualTo(PROJECT);
    assertThat(arrived.protocol()).isEqualTo("HTTP/2.0");
    assertThat(arrived.data())
        .isEqualTo(
            Map.of("kind", "new-mail", "registrationId", registration.id().value(), "unread", "5"));
    assertThat(arrived.at("android", "priority")).isEqualTo("high");
    assertThat(arrived.at("android", "collapse_key")).isEqualTo(registration.id().value());
    assertThat(arrived.at("android", "ttl")).isEqualTo("3600s");
    ListenerState state = harness.state(registration);
    assertThat(state.lastPushOutcome()).isEqualTo("accepted");
    assertThat(state.lastAcceptedAt(registration.platform(), null)).isPresent();
  }

  @Test
  void anUnregisteredTokenDeletesTheRegistrationAndAnswersUnsubscribe() {
    Registration registration = harness.registerFcm(PROJECT, token, binding("sub-1"));
    FCM.failToken(token, FcmFailure.of(FcmErrorCode.UNREGISTERED));

    assertThat(harness.post(registration, newMailWithCount("sub-1", 1)))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);

    assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNull();
    assertThat(FCM.requestsFor(token)).singleElement().matches(r -> !r.accepted());
  }

  @Test
  void invalidArgumentNeverDeletesAndParksNothing() {
    Registration registration = harness.registerFcm(PROJECT, token, binding("sub-1"));
    FCM.failToken(token, FcmFailure.of(FcmErrorCode.INVALID_ARGUMENT));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));

    assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNotNull();
    assertThat(harness.state(registration).pending()).isNull();
    assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("failed");
  }

  @Test
  void aSenderMismatchParksTheBadgeAndTheRedeliveryWorkerDeliversItLater() {
    Registration registration = harness.registerFcm(PROJECT, token, binding("sub-1"));
    FCM.failToken(token, FcmFailure.of(FcmErrorCode.SENDER_ID_MISMATCH));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 3)));
    assertThat(harness.state(registration).pending()).isNotNull();
    assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("configuration_error");

    FCM.clearToken(token);
    worker.runOnce().block(TIMEOUT);

    List<FcmRequest> arrived = FCM.requestsFor(token);
    assertThat(arrived).hasSize(2);
    assertThat(arrived.get(1).accepted()).isTrue();
    assertThat(arrived.get(1).data()).containsEntry("unread", "3");
    assertThat(harness.state(registration).pending()).isNull();
  }

  @Test
  void quotaExceededParksTheBadgeForAtLeastAMinute() {
    Registration registration = harness.registerFcm(PROJECT, token, binding("sub-1"));
    FCM.failToken(token, FcmFailure.of(FcmErrorCode.QUOTA_EXCEEDED));

    assertOk(harness.post(registration, newMailWithCount("sub-1", 2)));
    worker.runOnce().block(TIMEOUT); // not due yet: nothing is sent

    assertThat(FCM.requestsFor(token)).hasSize(1);
    assertThat(harness.state(registration).pending().nextAttemptAt())
        .isEqualTo(harness.state(registration).pending().since().plus(Duration.ofMinutes(1)));
  }

  @Test
  void aRetriedOkPostPushesOnce() {
    Registration registration = harness.registerFcm(PROJECT, token, binding("sub-1"));
    byte[] body = newMailWithCount("sub-1", 4);

    assertOk(harness.post(registration, body));
    assertOk(harness.post(registration, body));

    assertThat(FCM.requestsFor(token)).hasSize(1);
  }
}
