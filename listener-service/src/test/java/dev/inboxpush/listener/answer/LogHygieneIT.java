package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The paths that log about a registration (a failed subscription, a dead token, a dropped badge, a
 * refused body) never write its device token, callback token or SubscriptionId in full.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("logs", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("logging.level.dev.inboxpush", () -> "DEBUG");
    // One table, no replication: a dead token is final at once (ReplicationAllowanceIT and
    // ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired RedeliveryWorker worker;
  @Autowired Clock clock;

  @Test
  void noSecretOrIdentifierReachesTheLogsWhole(CapturedOutput output) {
    ListenerHarness harness = new ListenerHarness(http, store);
    String subscription = "KQBleGNoMDEuY29udG9zby5leGFtcGxlEAAAAJ1c7Hq0bVRNp4sGm2dWcA4=";
    String token = apnsToken();
    Registration registration = harness.register(token, binding(subscription));

    harness.post(registration, EwsPayloads.failure("ErrorReadEventsFailed", subscription));
    dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503"));
    harness.post(
        registration,
        EwsPayloads.notification(subscription)
            .newMail("i", INBOX)
            .folderModified(INBOX, 2)
            .build());
    ((dev.inboxpush.testsupport.time.MutableClock) clock).advance(Duration.ofHours(7));
    worker.runOnce().block(Duration.ofSeconds(10));
    dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));
    harness.post(
        registration,
        EwsPayloads.notification(subscription)
            .newMail("j", INBOX)
            .folderModified(INBOX, 3)
            .build());
    http.post()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .header("Content-Type", "text/xml")
        .bodyValue(
            ("<x>" + subscription + "</x>").getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));

    assertThat(output.getAll())
        .contains("dropped", "is dead")
        .doesNotContain(token)
        .doesNotContain(registration.callbackToken().value())
        .doesNotContain(subscription);
  }
}
