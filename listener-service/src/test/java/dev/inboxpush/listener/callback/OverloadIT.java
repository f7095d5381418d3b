package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inboxpush.autoconfigure.guard.InFlightLimit;
import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.net.Flood;
import dev.inboxpush.testsupport.net.RawHttpConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The public server past its in-flight limit, and clients too slow to be let hold a connection.
 * (Timeouts are {@link SlowClientsIT}'s.) Requests are held in flight by raw connections that send
 * a head and part of a body, then nothing (the server has started them and waits); a flood of whole
 * POSTs from many threads must then be refused at once with 503 and {@code Retry-After}, with
 * nothing read, looked up or kept, while the management port still answers; the held requests
 * ending brings the endpoint back. Figures are printed; the bounds asserted are loose (a 2-core
 * machine running other tests), far below the time a queued request would take.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OverloadIT {

  static final int LIMIT = 8;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("overload", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
    registry.add("inboxpush.server.max-in-flight", () -> Integer.toString(LIMIT));
    registry.add("inboxpush.server.retry-after", () -> "2s");
    // The held requests must outlast the flood: the timeouts are SlowClientsIT's.
    registry.add("inboxpush.server.read-timeout", () -> "60s");
    registry.add("inboxpush.server.request-timeout", () -> "60s");
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired InFlightLimit limit;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  private double tableCalls() {
    return meters.find("inboxpush.dynamodb.calls").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  private static final byte[] HEARTBEAT = Corpus.payload("heartbeat-exchange2016");

  private String head(int contentLength) {
    return "POST /ews/v1/"
        + CallbackToken.generate().value()
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private URI callback() {
    return URI.create("http://127.0.0.1:" + port + "/ews/v1/" + CallbackToken.generate().value());
  }

  private HttpRequest heartbeat(byte[] body) {
    return Flood.post(callback(), body, "Content-Type", "text/xml");
  }

  @Test
  void pastTheLimitEveryPostIs503WithRetryAfterAtOnceNothingIsKeptAndTheEndpointRecovers()
      throws Exception {
    List<RawHttpConnection> held =
        Flood.hold(port, LIMIT, head(HEARTBEAT.length), "<soap", Duration.ofSeconds(10));
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> limit.inFlight() == LIMIT);
      // Warm the client path, then measure: whole 256 KB bodies, so that a server which read
      // them before refusing would show it in time and in heap.
      byte[] big = new byte[256 * 1024];
      System.arraycopy(HEARTBEAT, 0, big, 0, HEARTBEAT.length);
      Flood.send(300, 16, i -> heartbeat(HEARTBEAT));
      double callsBefore = tableCalls();
      Flood.Result small = Flood.send(1_000, 16, i -> heartbeat(HEARTBEAT));
      long heapBefore = Flood.heapAfterGc();
      Flood.Result large = Flood.send(1_000, 16, i -> heartbeat(big));
      long heapAfter = Flood.heapAfterGc();
      System.out.printf(
          "listener past its limit of %d: heartbeats: %s%n  256 KB bodies: %s; heap after GC %d"
              + " -> %d MB%n",
          LIMIT, small.summary(), large.summary(), heapBefore >> 20, heapAfter >> 20);
      assertThat(small.statuses()).containsOnlyKeys(503);
      assertThat(small.retryAfter()).containsOnlyKeys("2");
      // A large body refused before it was read may meet a reset while the client still sends
      // it (-1): refused all the same.
      assertThat(large.statuses().keySet()).isSubsetOf(503, -1);
      assertThat(large.statuses().getOrDefault(503, 0)).isGreaterThan(900);
      // Nothing was looked up or written.
      assertThat(tableCalls()).isEqualTo(callsBefore);
      // Loose bounds for a shared 2-core machine; a request queued behind the held ones would
      // wait for them, indefinitely.
      assertThat(small.p99()).isLessThan(Duration.ofMillis(500));
      assertThat(large.max()).isLessThan(Duration.ofSeconds(5));
      // 256 MB of bodies were sent; none was kept.
      assertThat(heapAfter - heapBefore).isLessThan(32L << 20);
      assertThat(limit.inFlight()).isEqualTo(LIMIT);

      // Probes still answer: an overloaded instance is busy, not dead.
      HttpResponse<String> readiness =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(readiness.statusCode()).isEqualTo(200);
      // One refusal's SOAP form.
      HttpResponse<String> refused =
          HttpClient.newHttpClient()
              .send(heartbeat(HEARTBEAT), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("soap:Server");
    } finally {
      held.forEach(RawHttpConnection::close);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> limit.inFlight() == 0);
    HttpResponse<String> served =
        HttpClient.newHttpClient().send(heartbeat(HEARTBEAT), HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).contains("Unsubscribe");
  }
}
