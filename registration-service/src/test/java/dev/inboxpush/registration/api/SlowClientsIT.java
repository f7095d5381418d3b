package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.net.RawHttpConnection;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slow clients of the registration API: an authenticated registration whose body stalls gets a 408
 * problem detail at the read timeout (not a 5xx, nothing logged as an error), and a request head
 * trickled a byte at a time is closed at the header timeout. The listener's SlowClientsIT covers
 * the rest of the shared guard.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowClientsIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestSettings.register(registry, ApiTestSettings.table("registration-slow"), ISSUER);
    registry.add("inboxpush.server.header-timeout", () -> "2s");
    registry.add("inboxpush.server.read-timeout", () -> "1s");
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
  }

  @LocalServerPort int port;

  @Test
  void aStalledBodyIs408AProblemDetail() {
    try (RawHttpConnection slow = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      slow.write(
          "POST /v1/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Authorization: Bearer "
              + ISSUER.token("slow-caller", "inboxpush")
              + "\r\nContent-Length: 200\r\n\r\n{\"platform\":");
      Optional<String> closed = slow.untilClosed(Duration.ofSeconds(6));
      assertThat(closed).isPresent();
      assertThat(closed.get()).startsWith("HTTP/1.1 408").contains("application/problem+json");
    }
  }

  @Test
  void aTrickledRequestHeadIsClosedAtTheHeaderTimeout() {
    try (RawHttpConnection slow = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      long start = System.nanoTime();
      slow.write("GET /v1/registrations HTTP/1.1\r\n");
      Optional<String> closed = Optional.empty();
      for (int i = 0; i < 30 && closed.isEmpty(); i++) {
        try {
          slow.write("X");
        } catch (java.io.UncheckedIOException e) {
          closed = Optional.of("");
        }
        closed = closed.isPresent() ? closed : slow.untilClosed(Duration.ofMillis(300));
      }
      assertThat(closed).isPresent();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(5));
    }
  }
}
