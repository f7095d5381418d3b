package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The table goes away in the middle of a POST: 503, nothing half-written, and the POST Exchange
 * retries once the table is back pushes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class AnswerRulesOutageIT {

  /** A private engine that keeps its tables on disk, so that it can be stopped and restarted. */
  private static final Dynalite DYNALITE = Dynalite.startPersistent(dataDirectory());

  private static Path dataDirectory() {
    try {
      return Files.createTempDirectory("dynalite-outage");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("outage", DYNALITE)
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.dynamodb.api-call-timeout", () -> "1s");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @AfterAll
  static void stop() {
    DYNALITE.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;

  @Test
  void theTableStoppedMidPostGives503NothingHalfWrittenAndTheRetryPushes() {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    Registration registration = harness.register(token, binding("sub-1"));
    byte[] body =
        EwsPayloads.notification("sub-1").newMail("item", INBOX).folderModified(INBOX, 9).build();
    // The push is not accepted, and the table disappears before the badge can be parked.
    dispatcher.onPush(token, DYNALITE::stop, new DispatchOutcome.Retryable(null, "503 from APNs"));

    http.post()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .header("Content-Type", "text/xml")
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .exists("Retry-After");

    DYNALITE.restart();
    ListenerState afterOutage = harness.state(registration);
    // No watermark (the retry must not be taken for a duplicate) and no pending badge. The
    // account's count was written before the push on purpose (other accounts of the device sum
    // it); it is what Exchange said, not half of something.
    assertThat(afterOutage.lastWatermark()).isNull();
    assertThat(afterOutage.pending()).isNull();

    // Exchange retries the same POST; the provider is fine again.
    dispatcher.accept(token);
    assertThat(harness.post(registration, body)).isEqualTo(SubscriptionStatus.OK);

    assertThat(dispatcher.receivedFor(token)).hasSize(2);
    assertThat(dispatcher.receivedFor(token).get(1).badge()).isEqualTo(9);
    assertThat(harness.state(registration).lastWatermark()).isNotNull();
  }
}
