package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.ManagementClient;
import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.graph.GraphPayloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * When the table cannot be read, the answer is 503 (Exchange retries), never an {@code Unsubscribe}
 * that would kill a live subscription.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class StoreOutageIT {

  /** A private engine: this test stops it. */
  private static final Dynalite DYNALITE = Dynalite.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("outage", DYNALITE)
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.dynamodb.api-call-timeout", () -> "500ms");
  }

  @AfterAll
  static void stop() {
    DYNALITE.close();
  }

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;

  @Test
  void anUnreachableTableGives503WithRetryAfterNotUnsubscribeAndTakesReadinessDown() {
    WebTestClient management = ManagementClient.on(managementPort);
    management
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();

    DYNALITE.stop();

    management
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectBody();

    http.post()
        .uri("/ews/v1/{token}", CallbackToken.generate().value())
        .header("Content-Type", "text/xml")
        .bodyValue(Corpus.payload("new-mail-exchange2016"))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .valueEquals("Retry-After", "30")
        .expectBody(String.class)
        .value(
            body ->
                org.assertj.core.api.Assertions.assertThat(body)
                    .contains("soap:Server")
                    .doesNotContain("Unsubscribe"));

    // Graph: a notification that cannot be handled is a 503, which Graph retries; the handshake
    // needs no store and still answers.
    http.post()
        .uri("/graph/v1/{token}", CallbackToken.generate().value())
        .header("Content-Type", "application/json")
        .bodyValue(
            GraphPayloads.batch()
                .created("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b", "client-state")
                .build())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .valueEquals("Retry-After", "30")
        .expectBody(String.class)
        .isEqualTo("temporarily unavailable; retry");
    http.post()
        .uri("/graph/v1/{token}?validationToken=still+here", CallbackToken.generate().value())
        .header("Content-Type", "text/plain")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("still here");
  }
}
