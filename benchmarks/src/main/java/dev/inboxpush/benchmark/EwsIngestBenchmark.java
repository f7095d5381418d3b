package dev.inboxpush.benchmark;

import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.listener.ews.EwsParseException;
import dev.inboxpush.listener.ews.ParserLimits;
import dev.inboxpush.listener.ews.SendNotificationParser;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Benchmark of the EWS ingest path, run by {@code ./mvnw -B -pl benchmarks -am -DskipTests -P
 * ews-ingest verify} (see README). Prints figures; asserts nothing.
 *
 * <ol>
 *   <li>Parser: payloads/s for a typical new-mail POST and for a 500-event MoreEvents batch (median
 *       of 5 one-second rounds after a warm-up).
 *   <li>HTTP, in the same JVM and run, interleaved, median of 5 rounds each: a trivial WebFlux
 *       endpoint that returns the fixed reply; the listener endpoint with a token that cannot exist
 *       (parse, no lookup); the listener endpoint with a registered token and always the same body:
 *       after the first POST every one is a de-duplication hit (cached lookup, one state read). The
 *       load generator is a reactor-netty client with a fixed number of requests in flight, on the
 *       same 2-core machine.
 * </ol>
 */
public final class EwsIngestBenchmark {

  private static final int ROUNDS = 5;
  private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.seconds", 4));
  private static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 32);

  private EwsIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    parserBenchmark();
    httpBenchmark();
    System.exit(0);
  }

  // ---- parser -------------------------------------------------------------------------------

  private static void parserBenchmark() throws EwsParseException {
    SendNotificationParser parser = new SendNotificationParser(ParserLimits.DEFAULTS);
    for (String name : List.of("new-mail-exchange2016", "more-events-500")) {
      byte[] payload = Corpus.payload(name);
      measureParse(parser, payload, Duration.ofSeconds(2));
      double[] rates = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        rates[i] = measureParse(parser, payload, Duration.ofSeconds(1));
      }
      System.out.printf(
          Locale.ROOT,
          "parser %-24s %7d bytes  median %,10.0f payloads/s  (rounds %s)%n",
          name,
          payload.length,
          median(rates),
          format(rates));
    }
  }

  private static double measureParse(
      SendNotificationParser parser, byte[] payload, Duration duration) throws EwsParseException {
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    long count = 0;
    long sink = 0;
    while (System.nanoTime() < end) {
      sink += parser.parse(payload).messages().size();
      count++;
    }
    if (sink == 42) {
      System.out.print("");
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private static void httpBenchmark() {
    Dynalite dynalite = Dynalite.start();
    ConfigurableApplicationContext listener = BenchmarkApps.listener(dynalite);
    ConfigurableApplicationContext trivial = BenchmarkApps.trivial();
    try {
      String token =
          listener
              .getBean(DynamoStore.class)
              .registrations()
              .register(
                  new NewRegistration(
                      OwnerHash.of(HexFormat.of().formatHex(new byte[32])),
                      AppId.of("com.example.mail"),
                      ApnsEnvironment.PRODUCTION,
                      DeviceToken.of(Platform.APNS, "ab".repeat(32)),
                      Region.EU_WEST_1,
                      null,
                      Duration.ofDays(30)))
              .block(Duration.ofSeconds(10))
              .registration()
              .callbackToken()
              .value();
      int listenerPort = BenchmarkApps.port(listener);
      int trivialPort = BenchmarkApps.port(trivial);
      System.out.printf(
          Locale.ROOT,
          "listener on port %d, trivial endpoint on port %d%n",
          listenerPort,
          trivialPort);
      byte[] body = Corpus.payload("new-mail-exchange2016");
      List<Target> targets =
          List.of(
              new Target("trivial endpoint (fixed reply)", trivialPort, "/ews/v1/" + token, "OK"),
              new Target(
                  "listener, parse only (token cannot exist)",
                  listenerPort,
                  "/ews/v1/x",
                  "Unsubscribe"),
              new Target(
                  "listener, registered token (same body: dedupe hits)",
                  listenerPort,
                  "/ews/v1/" + token,
                  "OK"));
      ConnectionProvider connections =
          ConnectionProvider.builder("bench").maxConnections(IN_FLIGHT).build();
      HttpClient client =
          HttpClient.create(connections)
              .headers(h -> h.set("Content-Type", "text/xml; charset=utf-8"));
      for (Target target : targets) {
        String reply =
            client
                .port(target.port)
                .post()
                .uri(target.path)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asString())
                .block(Duration.ofSeconds(10));
        if (reply == null || !reply.contains(">" + target.expectedAnswer + "<")) {
          throw new IllegalStateException(target.label + " answered " + reply);
        }
        run(client, target, body, Duration.ofSeconds(3)); // warm-up
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (Target target : targets) {
          target.results.add(run(client, target, body, ROUND));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "HTTP: %d requests in flight, %d rounds of %ds, 1.6 KB new-mail POST%n",
          IN_FLIGHT,
          ROUNDS,
          ROUND.toSeconds());
      double trivialRate = 0;
      for (Target target : targets) {
        double rate = median(target.results.stream().mapToDouble(Result::rate).toArray());
        double p50 = median(target.results.stream().mapToDouble(Result::p50Millis).toArray());
        double p99 = median(target.results.stream().mapToDouble(Result::p99Millis).toArray());
        long errors = target.results.stream().mapToLong(Result::errors).sum();
        if (trivialRate == 0) {
          trivialRate = rate;
        }
        System.out.printf(
            Locale.ROOT,
            "  %-48s median %,8.0f POSTs/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  ratio to trivial %.2f%n",
            target.label,
            rate,
            p50,
            p99,
            errors,
            rate / trivialRate);
      }
      // Cross-check at the server: what the listener itself counted, by answer.
      io.micrometer.core.instrument.MeterRegistry meters =
          listener.getBean(io.micrometer.core.instrument.MeterRegistry.class);
      for (String answer : List.of("ok", "unsubscribe", "refused", "unavailable")) {
        double counted =
            meters.find("inboxpush.listener.callbacks").tag("answer", answer).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
        System.out.printf(
            Locale.ROOT, "  listener counted %,.0f POSTs answered %s%n", counted, answer);
      }
      connections.dispose();
    } finally {
      listener.close();
      trivial.close();
      dynalite.close();
    }
  }

  private static Result run(HttpClient client, Target target, byte[] body, Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long[] latencies = new long[4_000_000];
    AtomicLong count = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    Flux.generate(sink -> sink.next(0))
        .takeWhile(ignored -> System.nanoTime() < end)
        .flatMap(
            ignored -> {
              long sent = System.nanoTime();
              return client
                  .port(target.port)
                  .post()
                  .uri(target.path)
                  .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                  .responseSingle(
                      (response, content) -> content.then(Mono.just(response.status().code())))
                  .doOnNext(
                      status -> {
                        if (status != 200) {
                          errors.incrementAndGet();
                        }
                        long n = count.getAndIncrement();
                        if (n < latencies.length) {
                          latencies[(int) n] = System.nanoTime() - sent;
                        }
                      })
                  .onErrorResume(
                      e -> {
                        errors.incrementAndGet();
                        return Mono.empty();
                      });
            },
            IN_FLIGHT)
        .blockLast(duration.plusSeconds(30));
    double seconds = (System.nanoTime() - start) / 1e9;
    int n = (int) Math.min(count.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return new Result(
        count.get() / seconds,
        n == 0 ? 0 : sorted[n / 2] / 1e6,
        n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e6,
        errors.get());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String format(double[] values) {
    List<String> parts = new ArrayList<>();
    for (double value : values) {
      parts.add(String.format(Locale.ROOT, "%,.0f", value));
    }
    return String.join(", ", parts);
  }

  private record Result(double rate, double p50Millis, double p99Millis, long errors) {}

  private static final class Target {
    final String label;
    final int port;
    final String path;
    final String expectedAnswer;
    final List<Result> results = new ArrayList<>();

    Target(String label, int port, String path, String expectedAnswer) {
      this.label = label;
      this.port = port;
      this.path = path;
      this.expectedAnswer = expectedAnswer;
    }
  }
}
