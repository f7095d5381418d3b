package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.jwt.JwtIssuer;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The issuer's JWK set failing to load: a good token cannot be checked, so the answer is 503 with
 * {@code Retry-After} (a problem detail of type {@code unavailable}), never a 401 that would make
 * the app drop a good token nor a 500; nothing is written; once the keys load again the same token
 * is served. The service has never loaded the set before the outage (a loaded set is cached, and
 * outlives a short one).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class JwkSetOutageIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final Map<String, String> STORE = ApiTestSettings.table("jwks-outage");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestSettings.register(registry, STORE, ISSUER);
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
  }

  @Autowired WebTestClient http;

  private int items() {
    return ApiTestSettings.items(STORE);
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
  void aJwkSetThatFailsToLoadIs503AndWritesNothingThenTheSameTokenIsServed() {
    String bearer = ISSUER.token("caller", "inboxpush");
    ISSUER.failJwkSet(true);
    int before = items();

    register(bearer)
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .valueEquals("Retry-After", "5")
        .expectHeader()
        .valueEquals(
            "Strict-Transport-Security",
            SecurityHeadersIT.EXPECTED.get("Strict-Transport-Security"))
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("https://inboxpush.dev/problems/unavailable");
    assertThat(items()).isEqualTo(before);

    ISSUER.failJwkSet(false);
    register(bearer).expectStatus().isCreated().expectBody();
    assertThat(items()).isGreaterThan(before);
  }
}
