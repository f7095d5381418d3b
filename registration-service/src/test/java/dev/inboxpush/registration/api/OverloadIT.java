package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboxpush.autoconfigure.guard.InFlightLimit;
import dev.inboxpush.registration.ManagementClient;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.net.Flood;
import dev.inboxpush.testsupport.net.RawHttpConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The registration API past its in-flight limit: registrations held in flight (authenticated, their
 * bodies half sent), then a flood of whole, valid registrations from many threads. Every one is
 * refused at once with a 503 problem detail of type {@code overloaded} and {@code Retry-After},
 * before authentication or any store call, nothing is written, the management port still answers,
 * and once the held requests end registrations are served again. Figures are printed; the bounds
 * are loose (a 2-core machine running other tests).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OverloadIT {

  static final int LIMIT = 6;
  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final Map<String, String> STORE = ApiTestSettings.table("registration-overload");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestSettings.register(registry, STORE, ISSUER);
    registry.add("inboxpush.server.max-in-flight", () -> Integer.toString(LIMIT));
    registry.add("inboxpush.server.retry-after", () -> "3s");
    registry.add("inboxpush.server.read-timeout", () -> "60s");
    registry.add("inboxpush.server.request-timeout", () -> "60s");
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired InFlightLimit limit;

  private int items() {
    return ApiTestSettings.items(STORE);
  }

  private static byte[] registration() {
    return ("{\"platform\":\"fcm\",\"appId\":\"example-mail\",\"deviceToken\":\"fcm-"
            + UUID.randomUUID()
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private HttpRequest register(String bearer) {
    return Flood.post(
        URI.create("http://127.0.0.1:" + port + "/v1/registrations"),
        registration(),
        "Content-Type",
        "application/json",
        "Authorization",
        "Bearer " + bearer);
  }

  @Test
  void pastTheLimitEveryRequestIs503OverloadedAtOnceNothingIsWrittenAndItRecovers()
      throws Exception {
    String bearer = ISSUER.token("overloaded-caller", "inboxpush");
    byte[] body = registration();
    String head =
        "POST /v1/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer "
            + bearer
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    List<RawHttpConnection> held = Flood.hold(port, LIMIT, head, "{", Duration.ofSeconds(10));
    int before;
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> limit.inFlight() == LIMIT);
      before = items();
      Flood.send(200, 16, i -> register(bearer));

      Flood.Result flood = Flood.send(1_000, 16, i -> register(bearer));

      System.out.printf("registration API past its limit of %d: %s%n", LIMIT, flood.summary());
      assertThat(flood.statuses()).containsOnlyKeys(503);
      assertThat(flood.retryAfter()).containsOnlyKeys("3");
      assertThat(flood.p99()).isLessThan(Duration.ofMillis(500));
      assertThat(items()).isEqualTo(before);

      HttpResponse<String> refused =
          HttpClient.newHttpClient().send(register(bearer), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(refused.body()).contains("https://inboxpush.dev/problems/overloaded");
      // Raised before Spring Security runs, and still with the API's security headers.
      SecurityHeadersIT.EXPECTED.forEach(
          (name, value) -> assertThat(refused.headers().firstValue(name)).as(name).hasValue(value));
      assertThat(ManagementClient.scrape(managementPort))
          .contains("inboxpush_server_shed_total")
          .contains("inboxpush_registration_rejected_total{reason=\"overloaded\"");
    } finally {
      held.forEach(RawHttpConnection::close);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> limit.inFlight() == 0);
    HttpResponse<String> served =
        HttpClient.newHttpClient().send(register(bearer), HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(201);
    assertThat(items()).isGreaterThan(before);
  }
}
