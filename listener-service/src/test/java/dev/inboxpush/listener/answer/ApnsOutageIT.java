package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.APP;
import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
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
 * Rule 3 with the real APNs dispatcher: of all that can go wrong around a push, only the table
 * failing answers Exchange 503. APNs refuses the push and the table goes away before the badge is
 * parked: 503, nothing half-written; Exchange's retry pushes again, and APNs takes it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
class ApnsOutageIT {

  /** A private engine that keeps its tables on disk, so that it can be stopped and restarted. */
  private static final Dynalite DYNALITE = Dynalite.startPersistent(dataDirectory());

  private static final MockApns MOCK = MockApns.start();
  private static final MockApns.SigningKey KEY = MOCK.newSigningKey("KEY0000001", APP.value());

  private static Path dataDirectory() {
    try {
      return Files.createTempDirectory("dynalite-apns-outage");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("apns-outage", DYNALITE)
        .forEach((key, value) -> registry.add(key, () -> value));
    MOCK.listenerProperties(KEY, APP.value())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.dynamodb.api-call-timeout", () -> "1s");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @AfterAll
  static void stop() {
    MOCK.close();
    DYNALITE.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;

  @Test
  void theTableStoppedWhileApnsRefusesGives503AndTheRetryPushes() {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    MOCK.allow(APP.value(), token);
    Registration registration = harness.register(token, binding("sub-1"));
    byte[] body =
        EwsPayloads.notification("sub-1").newMail("item", INBOX).folderModified(INBOX, 9).build();
    MOCK.script(
        token,
        new MockApns.Hook(
            DYNALITE::stop, new MockApns.Reject(RejectionReason.SERVICE_UNAVAILABLE)));

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
    assertThat(afterOutage.lastWatermark()).isNull();
    assertThat(afterOutage.pending()).isNull();

    MOCK.unscript(token);
    assertThat(harness.post(registration, body)).isEqualTo(SubscriptionStatus.OK);

    assertThat(MOCK.receivedFor(token))
        .extracting(MockApns.Received::rejection)
        .containsExactly(RejectionReason.SERVICE_UNAVAILABLE, null);
    assertThat(MOCK.receivedFor(token).get(1).payload()).startsWith("{\"aps\":{\"badge\":9,");
    assertThat(harness.state(registration).lastWatermark()).isNotNull();
  }
}
