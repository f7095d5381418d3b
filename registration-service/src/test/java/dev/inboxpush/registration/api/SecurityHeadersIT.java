package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.jwt.JwtIssuer;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The security headers the README promises, on every kind of answer: a created registration (its
 * answer holds the callback URL), a read, a refusal before authentication (401), one by a
 * controller (400), a path outside {@code /v1} (401), Spring Security's firewall (400) and the
 * OpenAPI document; the in-flight limit's 503 and a JWK set outage's 503 are checked in {@link
 * OverloadIT} and {@link JwkSetOutageIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class SecurityHeadersIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();

  static final Map<String, String> EXPECTED =
      Map.of(
          "Cache-Control", "no-cache, no-store, max-age=0, must-revalidate",
          "Pragma", "no-cache",
          "Expires", "0",
          "Strict-Transport-Security", "max-age=63072000; includeSubDomains",
          "X-Content-Type-Options", "nosniff",
          "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "X-XSS-Protection", "0");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestSettings.register(registry, ApiTestSettings.table("security-headers"), ISSUER);
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
  }

  @Autowired WebTestClient http;

  @LocalServerPort int port;

  Stream<Arguments> answers() {
    String base = "http://127.0.0.1:" + port;
    String good = ISSUER.token("headers-caller", "inboxpush");
    Map<String, String> device =
        Map.of(
            "platform", "fcm", "appId", "example-mail", "deviceToken", "fcm-" + UUID.randomUUID());
    return Stream.of(
        Arguments.of(
            "201 created",
            201,
            (Request)
                client ->
                    client
                        .post()
                        .uri("/v1/registrations")
                        .headers(h -> h.setBearerAuth(good))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(device)),
        Arguments.of(
            "404 read",
            404,
            (Request)
                client ->
                    client
                        .get()
                        .uri("/v1/registrations/{id}", UUID.randomUUID())
                        .headers(h -> h.setBearerAuth(good))),
        Arguments.of(
            "401 forged",
            401,
            (Request)
                client ->
                    client
                        .get()
                        .uri("/v1/registrations/{id}", UUID.randomUUID())
                        .headers(h -> h.setBearerAuth(ISSUER.forged("x", "inboxpush")))),
        Arguments.of(
            "400 invalid",
            400,
            (Request)
                client ->
                    client
                        .post()
                        .uri("/v1/registrations")
                        .headers(h -> h.setBearerAuth(good))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("platform", "carrier-pigeon"))),
        Arguments.of("401 outside /v1", 401, (Request) client -> client.get().uri("/admin")),
        Arguments.of(
            "400 from the firewall",
            400,
            (Request)
                client ->
                    client
                        .get()
                        .uri(URI.create(base + "/v1/registrations/%2e%2e/x"))
                        .headers(h -> h.setBearerAuth(good))),
        Arguments.of(
            "200 OpenAPI document", 200, (Request) client -> client.get().uri("/v1/openapi.yaml")));
  }

  interface Request {
    WebTestClient.RequestHeadersSpec<?> on(WebTestClient client);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void everyAnswerCarriesTheSecurityHeaders(String label, int status, Request request) {
    HttpHeaders headers =
        request
            .on(http)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .returnResult(Void.class)
            .getResponseHeaders();
    EXPECTED.forEach(
        (name, value) ->
            assertThat(headers.get(name)).as(label + ": " + name).containsExactly(value));
  }
}
