package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.net.RawHttpConnection;
import dev.inboxpush.testsupport.net.RawHttpConnection.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Connections Exchange and Graph keep alive stay served. A sender reuses its connection for the
 * next notification the instant an answer ends, or sends several at once; every one must be
 * answered, whatever mix of quick answers and slow ones came before. A quick answer here is Graph's
 * validation handshake, answered on the thread that read it; a slow one is an EWS notification to a
 * token no registration has, answered {@code Unsubscribe} after a table read. Reactor Netty 1.3.6
 * and 1.3.7 could stop reading a connection after a quick answer to a request it had held back: the
 * next notification then waited forever with nothing logged (reactor/reactor-netty#4361), and
 * Exchange would retry it until the subscription expired. Each connection is driven byte by byte
 * ({@link RawHttpConnection}): an HTTP client would open a new connection and hide it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeepAliveIT {

  static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  static final int ROUNDS = 40;

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("keepalive", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: an absence or a foreign binding is final at once
    // (ReplicationAllowanceIT, SharedUrlAllowanceIT and ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @LocalServerPort int port;

  /** A heartbeat to a token no registration has: {@code Unsubscribe}, after a table read. */
  private static String slow() {
    String body =
        new String(
            EwsPayloads.notification("sub-keepalive").status(EwsPayloads.newWatermark()).build(),
            StandardCharsets.UTF_8);
    return RawHttpConnection.request(
        "POST",
        "/ews/v1/" + CallbackToken.generate().value(),
        List.of("Content-Type: text/xml; charset=utf-8"),
        body);
  }

  /** Graph validating a notification URL: the token echoed at once, nothing looked up. */
  private static String quick() {
    return RawHttpConnection.request(
        "POST",
        "/graph/v1/" + CallbackToken.generate().value() + "?validationToken=keep-alive",
        List.of("Content-Type: text/plain"),
        "");
  }

  private static void unsubscribed(Answer answer, String what) {
    assertThat(answer.status()).as(what).isEqualTo(200);
    assertThat(answer.body()).as(what).contains("Unsubscribe");
  }

  private static void validated(Answer answer, String what) {
    assertThat(answer.status()).as(what).isEqualTo(200);
    assertThat(answer.body()).as(what).isEqualTo("keep-alive");
  }

  @Test
  void aQuickAnswerToAHeldBackRequestLeavesTheConnectionReadable() {
    for (int round = 0; round < ROUNDS; round++) {
      try (RawHttpConnection connection = RawHttpConnection.open(port, ANSWER_WITHIN)) {
        // Two requests in one write: the second waits for the first, then is answered at once.
        connection.write(slow() + quick());
        unsubscribed(connection.read(), "round " + round + ", first");
        validated(connection.read(), "round " + round + ", second");

        unsubscribed(connection.exchange(slow()), "round " + round + ", third");
        validated(connection.exchange(quick()), "round " + round + ", fourth");
      }
    }
  }

  @Test
  void notificationsSentTheInstantTheLastAnswerEndsAreAllAnswered() {
    try (RawHttpConnection connection = RawHttpConnection.open(port, ANSWER_WITHIN)) {
      for (int i = 0; i < 4 * ROUNDS; i++) {
        if (i % 3 == 0) {
          unsubscribed(connection.exchange(slow()), "request " + i);
        } else {
          validated(connection.exchange(quick()), "request " + i);
        }
      }
    }
  }
}
