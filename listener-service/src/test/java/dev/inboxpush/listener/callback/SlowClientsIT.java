package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboxpush.autoconfigure.guard.InFlightLimit;
import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.net.RawHttpConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Clients too slow to be let hold a connection (slowloris): a request head trickled a byte at a
 * time, a kept-alive connection that sends no next request, a body that stalls, and a body trickled
 * just fast enough to keep the read timeout away. Each is closed, or answered 408 and closed, at
 * its timeout, and its place under the in-flight limit is given back. Each test prints when it was
 * ended.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SlowClientsIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("slow-clients", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
    registry.add("inboxpush.server.header-timeout", () -> "2s");
    registry.add("inboxpush.server.read-timeout", () -> "1s");
    registry.add("inboxpush.server.request-timeout", () -> "4s");
    registry.add("server.netty.idle-timeout", () -> "4s");
  }

  @LocalServerPort int port;
  @Autowired InFlightLimit limit;

  private static final byte[] HEARTBEAT = Corpus.payload("heartbeat-exchange2016");

  private String head(int contentLength) {
    return "POST /ews/v1/"
        + CallbackToken.generate().value()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  @Test
  void aClientTricklingItsHeadersIsClosedAtTheHeaderTimeout() {
    try (RawHttpConnection slow = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      long start = System.nanoTime();
      slow.write("POST /ews/v1/" + CallbackToken.generate().value() + " HTTP/1.1\r\n");
      Optional<String> closed = Optional.empty();
      // A header byte every 300 ms: each read starts the idle timeout over, the deadline does not.
      for (int i = 0; i < 40 && closed.isEmpty(); i++) {
        try {
          slow.write("X");
        } catch (java.io.UncheckedIOException e) {
          closed = Optional.of("");
          break;
        }
        closed = slow.untilClosed(Duration.ofMillis(300));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf("a trickled request head was closed after %d ms%n", took.toMillis());
      assertThat(closed).as("closed by the server").isPresent();
      assertThat(took).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(5));
    }
  }

  @Test
  void aKeptAliveConnectionThatSendsNothingIsLeftToTheIdleTimeout() {
    try (RawHttpConnection idle = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      String request =
          RawHttpConnection.request(
              "POST",
              "/ews/v1/" + CallbackToken.generate().value(),
              List.of("Content-Type: text/xml"),
              new String(HEARTBEAT, StandardCharsets.UTF_8));
      assertThat(idle.exchange(request).status()).isEqualTo(200);
      long start = System.nanoTime();
      // Past the header timeout (2 s) it is still open: nothing was begun. The load balancer
      // pools such connections and must be the one to close them.
      assertThat(idle.untilClosed(Duration.ofMillis(3_000))).isEmpty();
      assertThat(idle.untilClosed(Duration.ofSeconds(4))).isPresent();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(3_500), Duration.ofSeconds(7));
    }
  }

  @Test
  void aRequestThatExpects100ContinueIsNotCutOffByTheHeaderTimeout() {
    try (RawHttpConnection slow = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      String body = new String(HEARTBEAT, StandardCharsets.UTF_8);
      slow.write(
          "POST /ews/v1/"
              + CallbackToken.generate().value()
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nExpect: 100-continue\r\n"
              + "Content-Length: "
              + HEARTBEAT.length
              + "\r\n\r\n");
      // The body in four parts 700 ms apart: each pause under the read timeout (1 s), the whole
      // past the header timeout (2 s), which a 100 Continue must not start again.
      int quarter = body.length() / 4;
      for (int part = 0; part < 4; part++) {
        sleep(700);
        slow.write(
            body.substring(part * quarter, part == 3 ? body.length() : (part + 1) * quarter));
      }
      RawHttpConnection.Answer answer = slow.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).contains("Unsubscribe");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBodyPausedLongerThanTheReadTimeoutEndsTheRequestAndFreesItsPlace() {
    try (RawHttpConnection slow = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      slow.write(head(HEARTBEAT.length) + "<soap");
      await().atMost(Duration.ofSeconds(2)).until(() -> limit.inFlight() == 1);
      long start = System.nanoTime();
      Optional<String> closed = slow.untilClosed(Duration.ofSeconds(5));
      System.out.printf(
          "a stalled body was ended after %d ms: %s%n",
          (System.nanoTime() - start) / 1_000_000,
          closed
              .map(s -> s.isEmpty() ? "closed" : s.lines().findFirst().orElse(""))
              .orElse("open"));
      assertThat(closed).isPresent();
      // Its fault, not ours: 408 and a SOAP client fault, never a 503 that invites a retry storm.
      assertThat(closed.get()).startsWith("HTTP/1.1 408").contains("soap:Client");
      await().atMost(Duration.ofSeconds(2)).until(() -> limit.inFlight() == 0);
    }
  }

  @Test
  void aBodyTrickledFasterThanTheReadTimeoutIsStillEndedAtTheRequestTimeout() {
    try (RawHttpConnection slow = RawHttpConnection.open(port, Duration.ofSeconds(10))) {
      slow.write(head(HEARTBEAT.length));
      long start = System.nanoTime();
      Optional<String> closed = Optional.empty();
      for (int i = 0; i < 40 && closed.isEmpty(); i++) {
        try {
          slow.write(" ");
        } catch (java.io.UncheckedIOException e) {
          closed = Optional.of("");
          break;
        }
        closed = slow.untilClosed(Duration.ofMillis(400));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf("a trickled body was ended after %d ms%n", took.toMillis());
      assertThat(closed).isPresent();
      assertThat(took).isBetween(Duration.ofMillis(3_500), Duration.ofSeconds(8));
      await().atMost(Duration.ofSeconds(2)).until(() -> limit.inFlight() == 0);
    }
  }
}
