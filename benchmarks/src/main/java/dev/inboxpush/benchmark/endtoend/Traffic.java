package dev.inboxpush.benchmark.endtoend;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The load generator's HTTP side: POSTs to one port, closed loop (a fixed number in flight, as fast
 * as answers come) or open loop (a fixed offered rate, each POST timed from when it was due, not
 * from when it was sent, so that a stall is counted in full: no coordinated omission).
 *
 * <p>Threading: answers are handled on Reactor Netty's event loops; the open loop's schedule runs
 * on a thread of its own. Latencies go into an HdrHistogram {@link Recorder}, which takes values
 * from many threads without locks. One instance per run; {@link #close} releases the connections.
 */
final class Traffic implements AutoCloseable {

  /** The longest latency recorded exactly; anything longer counts as this. */
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

  /** What one POST sends. */
  record Post(String path, byte[] body) {}

  /** Where POSTs come from: each call gives the next one. Called from several threads. */
  interface Posts {
    Post next();
  }

  /**
   * What a stretch of traffic did.
   *
   * @param ok POSTs answered 200 with the expected status in the body
   * @param failed POSTs answered otherwise or not at all
   * @param seconds from the first send to the last answer
   * @param latency microseconds, each from its send (closed loop) or its due time (open loop)
   * @param firstFailure what the first failed POST got, or null
   */
  record Outcome(long ok, long failed, double seconds, Histogram latency, String firstFailure) {
    double rate() {
      return ok / seconds;
    }
  }

  private final ConnectionProvider closedConnections;
  private final ConnectionProvider openConnections;
  private final int inFlight;

  Traffic(int inFlight) {
    this.inFlight = inFlight;
    this.closedConnections =
        ConnectionProvider.builder("bench-closed").maxConnections(inFlight).build();
    // The open loop must never queue on the client side beyond what the server makes it queue.
    this.openConnections =
        ConnectionProvider.builder("bench-open")
            .maxConnections(1000)
            .pendingAcquireMaxCount(-1)
            .build();
  }

  /** As many POSTs as answers allow, {@link #inFlight} at a time, for {@code duration}. */
  Outcome closed(int port, Posts posts, String expected, Duration duration) {
    HttpClient client = client(closedConnections, port);
    Tally tally = new Tally();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Flux.<Integer>generate(sink -> sink.next(0))
        .takeWhile(ignored -> System.nanoTime() < end)
        .flatMap(
            ignored -> {
              long sent = System.nanoTime();
              return send(client, posts.next())
                  .doOnNext(answer -> tally.answered(answer, expected, sent))
                  .onErrorResume(
                      error -> {
                        tally.failed(error.toString());
                        return Mono.empty();
                      });
            },
            inFlight)
        .blockLast(duration.plusMinutes(2));
    return tally.outcome((System.nanoTime() - start) / 1e9);
  }

  /**
   * {@code rate} POSTs a second for {@code duration}, each sent when due whatever is still
   * unanswered; waits for every answer.
   */
  Outcome open(int port, Posts posts, String expected, int rate, Duration duration)
      throws InterruptedException {
    HttpClient client = client(openConnections, port);
    Tally tally = new Tally();
    int total = (int) Math.max(1, rate * duration.toMillis() / 1000);
    long period = 1_000_000_000L / rate;
    CountDownLatch done = new CountDownLatch(total);
    long start = System.nanoTime() + 20_000_000L;
    for (int i = 0; i < total; i++) {
      long due = start + i * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      send(client, posts.next())
          .subscribe(
              answer -> {
                tally.answered(answer, expected, due);
                done.countDown();
              },
              error -> {
                tally.failed(error.toString());
                done.countDown();
              });
    }
    if (!done.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException(
          "open loop: " + done.getCount() + " of " + total + " POSTs unanswered after 2 minutes");
    }
    return tally.outcome((System.nanoTime() - start) / 1e9);
  }

  /**
   * One POST at a time until one is answered as expected, at most {@code attempts} a second apart:
   * a cold listener on a busy machine may answer its first POSTs 503 (a table call over its time
   * bound), as it would to Exchange, which retries.
   *
   * @throws IllegalStateException with the last answer when none is as expected
   */
  void probe(int port, Posts posts, String expected, int attempts) throws InterruptedException {
    HttpClient client = client(closedConnections, port);
    String last = null;
    for (int i = 0; i < attempts; i++) {
      try {
        Answer answer = send(client, posts.next()).block(Duration.ofSeconds(30));
        if (answer != null
            && answer.status() == 200
            && answer.body().contains(">" + expected + "<")) {
          return;
        }
        last = answer == null ? "no answer" : "HTTP " + answer.status() + ": " + answer.body();
      } catch (RuntimeException e) {
        last = e.toString();
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(
        "port "
            + port
            + " never answered "
            + expected
            + " in "
            + attempts
            + " tries; last: "
            + last);
  }

  @Override
  public void close() {
    closedConnections.dispose();
    openConnections.dispose();
  }

  private static HttpClient client(ConnectionProvider connections, int port) {
    return HttpClient.create(connections)
        .host("127.0.0.1")
        .port(port)
        .headers(h -> h.set("Content-Type", "text/xml; charset=utf-8"));
  }

  private record Answer(int status, String body) {}

  private static Mono<Answer> send(HttpClient client, Post post) {
    return client
        .post()
        .uri(post.path())
        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(post.body())))
        .responseSingle(
            (response, content) ->
                content
                    .asString()
                    .defaultIfEmpty("")
                    .map(text -> new Answer(response.status().code(), text)));
  }

  /** Counts and latencies of one stretch; thread-safe. */
  static final class Tally {
    private final Recorder latencies = new Recorder(MAX_MICROS, 3);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String firstFailure;

    void answered(Answer answer, String expected, long fromNanos) {
      record(fromNanos);
      if (answer.status() == 200 && answer.body().contains(">" + expected + "<")) {
        ok.incrementAndGet();
      } else {
        failed(
            "HTTP "
                + answer.status()
                + ": "
                + answer.body().substring(0, Math.min(300, answer.body().length())));
      }
    }

    void record(long fromNanos) {
      latencies.recordValue(
          Math.min(MAX_MICROS, Math.max(0, (System.nanoTime() - fromNanos) / 1000)));
    }

    void succeeded() {
      ok.incrementAndGet();
    }

    void failed(String what) {
      if (failed.getAndIncrement() == 0) {
        firstFailure = what;
      }
    }

    Outcome outcome(double seconds) {
      return new Outcome(
          ok.get(), failed.get(), seconds, latencies.getIntervalHistogram(), firstFailure);
    }
  }
}
