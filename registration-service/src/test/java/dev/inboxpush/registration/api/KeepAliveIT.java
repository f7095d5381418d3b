package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.net.RawHttpConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Connections a client keeps alive stay served. A client reuses its connection for the next request
 * the instant an answer ends, or sends several at once; the server must answer every one, whatever
 * mix of quick answers and slow ones came before. A quick answer here is a 429 from the rate-limit
 * filter, written on the thread that read the request; a slow one is a 404 after a table read.
 * Reactor Netty 1.3.6 and 1.3.7 could stop reading a connection after a quick answer to a request
 * it had held back (one that came before the previous request's handling had ended): the next
 * request then waited forever with nothing logged (reactor/reactor-netty#4361), which is how
 * requests went unanswered for 15 s in this module's CI runs. Each connection is driven byte by
 * byte ({@link RawHttpConnection}): an HTTP client would open a new connection and hide it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  static final int ROUNDS = 40;

  /** Requests per caller per hour: the flooder is over it; each slow request has its own caller. */
  static final int PER_CALLER = 2;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("keepalive", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("inboxpush.registration.listener-base-url", () -> "https://listener.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
    registry.add("inboxpush.registration.rate-limit.per-caller", () -> String.valueOf(PER_CALLER));
    registry.add("inboxpush.registration.rate-limit.per-address", () -> "100000");
    registry.add("inboxpush.registration.rate-limit.period", () -> "1h");
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
  }

  @LocalServerPort int port;

  private final String flooder = ISSUER.token("flooder-" + UUID.randomUUID(), "inboxpush");

  /** Takes the flooder over its limit, so that its requests are {@link #quick}. */
  @BeforeEach
  void flood() {
    try (RawHttpConnection connection = RawHttpConnection.open(port, ANSWER_WITHIN)) {
      for (int i = 0; i < PER_CALLER; i++) {
        assertThat(connection.exchange(read(flooder)).status()).isEqualTo(404);
      }
      assertThat(connection.exchange(quick()).status()).isEqualTo(429);
    }
  }

  private static String read(String bearer) {
    return RawHttpConnection.request(
        "GET",
        "/v1/registrations/" + UUID.randomUUID(),
        List.of("Authorization: Bearer " + bearer),
        "");
  }

  /** A read of a registration that does not exist, by a new caller: 404 after a table read. */
  private static String slow() {
    return read(ISSUER.token("caller-" + UUID.randomUUID(), "inboxpush"));
  }

  /** The flooder's read: 429 as soon as its token is checked, before anything asynchronous. */
  private String quick() {
    return read(flooder);
  }

  @Test
  void aQuickAnswerToAHeldBackRequestLeavesTheConnectionReadable() {
    for (int round = 0; round < ROUNDS; round++) {
      try (RawHttpConnection connection = RawHttpConnection.open(port, ANSWER_WITHIN)) {
        // Two requests in one write: the second waits for the first, then is answered at once.
        connection.write(slow() + quick());
        assertThat(connection.read().status()).as("round %d, first", round).isEqualTo(404);
        assertThat(connection.read().status()).as("round %d, second", round).isEqualTo(429);

        assertThat(connection.exchange(slow()).status())
            .as("round %d, third", round)
            .isEqualTo(404);
        assertThat(connection.exchange(quick()).status())
            .as("round %d, fourth", round)
            .isEqualTo(429);
      }
    }
  }

  @Test
  void requestsSentTheInstantTheLastAnswerEndsAreAllAnswered() {
    try (RawHttpConnection connection = RawHttpConnection.open(port, ANSWER_WITHIN)) {
      for (int i = 0; i < 4 * ROUNDS; i++) {
        boolean slowOne = i % 3 == 0;
        assertThat(connection.exchange(slowOne ? slow() : quick()).status())
            .as("request %d", i)
            .isEqualTo(slowOne ? 404 : 429);
      }
    }
  }

  @Test
  void aBodyRejectedBeforeItArrivedNeitherStallsNorIsReadAsTheNextRequest() {
    String json = "{\"platform\":\"fcm\",\"appId\":\"example-mail\",\"deviceToken\":\"fcm-x\"}";
    for (int round = 0; round < ROUNDS / 4; round++) {
      try (RawHttpConnection connection = RawHttpConnection.open(port, ANSWER_WITHIN)) {
        String request =
            RawHttpConnection.request(
                "POST", "/v1/registrations", List.of("Content-Type: application/json"), json);
        int headEnd = request.indexOf("\r\n\r\n") + 4;
        // The head alone: it has no token, so the 401 comes before the body is sent.
        connection.write(request.substring(0, headEnd));
        assertThat(connection.read().status())
            .as("round %d, the early answer", round)
            .isEqualTo(401);
        connection.write(request.substring(headEnd));

        // The server may keep the connection (the body is discarded) or close it; it may not read
        // the body as a request nor leave the next one unanswered.
        if (!connection.closedByServer(Duration.ofMillis(200))) {
          assertThat(connection.exchange(slow()).status())
              .as("round %d, the next request", round)
              .isEqualTo(404);
        }
      }
    }
  }
}
