package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.registration.ManagementClient;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Rate limits with small buckets, and readiness following the table: a private dynalite (kept on
 * disk) is stopped and started again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
// The address bucket is shared by every test here (all come from 127.0.0.1): the flood that
// empties it runs last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsAndReadinessIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final Dynalite DYNALITE = startDynalite();
  static final Map<String, String> STORE = DynaliteProperties.forTable("limits", DYNALITE);

  private static Dynalite startDynalite() {
    try {
      return Dynalite.startPersistent(Files.createTempDirectory("dynalite-readiness"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STORE.forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("inboxpush.registration.listener-base-url", () -> "https://listener.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
    registry.add("inboxpush.registration.rate-limit.per-caller", () -> "5");
    registry.add("inboxpush.registration.rate-limit.per-address", () -> "40");
    registry.add("inboxpush.registration.rate-limit.period", () -> "1h");
    registry.add("inboxpush.dynamodb.api-call-timeout", () -> "1s");
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
    DYNALITE.close();
  }

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;

  private int items() {
    return DYNALITE
        .sharedClient()
        .scan(ScanRequest.builder().tableName(STORE.get("inboxpush.dynamodb.table-name")).build())
        .join()
        .count();
  }

  private WebTestClient.ResponseSpec register(String bearer) {
    return http.post()
        .uri("/v1/registrations")
        .headers(h -> h.setBearerAuth(bearer))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "platform", "fcm",
                "appId", "example-mail",
                "deviceToken", "fcm-" + UUID.randomUUID()))
        .exchange();
  }

  @Test
  @Order(2)
  void aFloodFromOneCallerTrips429WithRetryAfterAndWritesNothingMore() {
    String bearer = ISSUER.token("flooder", "inboxpush");
    for (int i = 0; i < 5; i++) {
      register(bearer).expectStatus().isCreated().expectBody();
    }
    int before = items();

    register(bearer)
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectHeader()
        .value("Retry-After", seconds -> assertThat(Long.parseLong(seconds)).isPositive())
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://inboxpush.dev/problems/rate-limited")
        .jsonPath("$.status")
        .isEqualTo(429);

    assertThat(items()).isEqualTo(before);
    // Another caller is not held back by this one.
    register(ISSUER.token("someone-else", "inboxpush")).expectStatus().isCreated().expectBody();
  }

  @Test
  @Order(3)
  void aFloodOfBadTokensFromOneAddressTrips429() {
    HttpStatus last = null;
    for (int i = 0; i < 45 && last != HttpStatus.TOO_MANY_REQUESTS; i++) {
      last =
          HttpStatus.valueOf(
              register(ISSUER.forged("mallory", "inboxpush"))
                  // expectBody() reads and releases the body; returnResult(Class) would leave
                  // it unread, and its buffers leaked.
                  .expectBody()
                  .returnResult()
                  .getStatus()
                  .value());
    }

    assertThat(last).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
  }

  @Test
  @Order(1)
  void readinessFollowsTheTable() {
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
    management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody();

    DYNALITE.restart();
    WebTestClient patient = management.mutate().responseTimeout(Duration.ofSeconds(10)).build();
    patient.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody();
  }
}
