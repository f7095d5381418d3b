package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.APP;
import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.ScriptedApnsServer;
import dev.inboxpush.testsupport.apns.ScriptedApnsServer.Answer;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.tls.TestPki;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rows of the APNs outcome table that pushy's MockApnsServer cannot answer ({@code
 * ExpiredToken}, {@code UnrelatedKeyIdInToken}, statuses with an undocumented reason), through the
 * real endpoint and the real pushy client, from a scripted HTTP/2 server: the reply to Exchange,
 * the pending badge, the deletion or not, and that the push arrived.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
class ApnsUnmockableAnswersIT {

  private static final ScriptedApnsServer APNS = ScriptedApnsServer.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    DynaliteProperties.forTable("apns-unmockable", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    String key =
        TestPki.writeTemp(TestPki.pkcs8Pem(generator.generateKeyPair().getPrivate()), ".p8")
            .toString();
    String trusted = APNS.trustedCertificates().toString();
    registry.add("inboxpush.apns.apps[0].topic", APP::value);
    registry.add("inboxpush.apns.apps[0].token.key-file", () -> key);
    registry.add("inboxpush.apns.apps[0].token.key-id", () -> "KEY0000001");
    registry.add("inboxpush.apns.apps[0].token.team-id", () -> "TEAM000001");
    registry.add("inboxpush.apns.production.host", () -> "localhost");
    registry.add("inboxpush.apns.production.port", () -> APNS.port());
    registry.add("inboxpush.apns.trusted-server-certificates", () -> trusted);
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: a dead token is final at once (ReplicationAllowanceIT and
    // ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @AfterAll
  static void stop() {
    APNS.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired Clock clock;

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          # status, reason,                 reply,        outcome,             pending
          410,      ExpiredToken,           UNSUBSCRIBE,  ,                    false
          410,      SomethingNew,           UNSUBSCRIBE,  ,                    false
          403,      UnrelatedKeyIdInToken,  OK,           retryable,           true
          403,      SomethingNew,           OK,           configuration_error, true
          502,      SomethingNew,           OK,           retryable,           true
          418,      SomethingNew,           OK,           failed,              false
          200,      ,                       OK,           accepted,            false
          """)
  void answersMockApnsServerCannotGive(
      int status,
      @Nullable String reason,
      SubscriptionStatus reply,
      @Nullable String outcome,
      boolean pending) {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    // A 410's timestamp after the registration: the token died after it registered.
    Long timestamp =
        status == 410 ? clock.instant().plus(Duration.ofMinutes(1)).toEpochMilli() : null;
    APNS.answer(token, reason == null ? Answer.ACCEPTED : new Answer(status, reason, timestamp));
    Registration registration = harness.register(token, binding("sub-1"));
    byte[] body =
        EwsPayloads.notification("sub-1").newMail("item-1", INBOX).folderModified(INBOX, 4).build();

    assertThat(harness.post(registration, body)).isEqualTo(reply);

    assertThat(APNS.received()).containsOnlyOnce(token);
    boolean exists = store.registrations().findById(registration.id()).block(TIMEOUT) != null;
    assertThat(exists).isEqualTo(reply == SubscriptionStatus.OK);
    if (exists) {
      ListenerState state = harness.state(registration);
      assertThat(state.lastPushOutcome()).isEqualTo(outcome);
      assertThat(state.pending() != null).isEqualTo(pending);
    }
  }
}
