package dev.inboxpush.benchmark;

import dev.inboxpush.listener.dispatch.Dispatcher;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Benchmark of the answer rules, run by {@code ./mvnw -B -pl benchmarks -am -DskipTests -P
 * answer-rules verify} (see README). The real listener (lookup cache, answer rules, badge sum,
 * state writes to dynalite) with the scripted dispatcher accepting every push, 10,000 bound
 * registrations, new-mail POSTs with a count to random registrations, each with fresh watermarks.
 * First the maximum (closed loop, fixed number in flight), then a fixed offered load of half that
 * maximum (open loop, so latency is not flattered by waiting), the same load offered to the trivial
 * endpoint in the same run. Prints figures.
 *
 * <p>Benchmarks live outside {@code dev.inboxpush.listener}, where the listener application would
 * scan their configuration into every test context.
 */
public final class AnswerRulesBenchmark {

  private static final int REGISTRATIONS = Integer.getInteger("bench.registrations", 10_000);
  private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.seconds", 4));
  private static final int ROUNDS = 3;
  private static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 32);
  private static final String INBOX = "AQMkInboxFolderBench=";

  private AnswerRulesBenchmark() {}

  /** The scripted dispatcher, accepting everything, in place of APNs and FCM. */
  @Configuration(proxyBeanMethods = false)
  static class ScriptedDispatch {
    @Bean
    @Primary
    Dispatcher scriptedDispatcher() {
      return new ScriptedDispatcher();
    }
  }

  public static void main(String[] args) {
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    Dynalite dynalite = Dynalite.start();
    ConfigurableApplicationContext listener =
        BenchmarkApps.listener(dynalite, ScriptedDispatch.class);
    ConfigurableApplicationContext trivial = BenchmarkApps.trivial();
    ConnectionProvider connections =
        ConnectionProvider.builder("bench").maxConnections(IN_FLIGHT).build();
    try {
      String[] tokens = register(listener.getBean(DynamoStore.class));
      HttpClient client =
          HttpClient.create(connections)
              .headers(h -> h.set("Content-Type", "text/xml; charset=utf-8"));
      int listenerPort = BenchmarkApps.port(listener);
      int trivialPort = BenchmarkApps.port(trivial);

      closedLoop(client, listenerPort, tokens, Duration.ofSeconds(5)); // warm-up: JIT, cache
      double[] maxima = new double[ROUNDS];
      double[] trivialMaxima = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        maxima[i] = closedLoop(client, listenerPort, tokens, ROUND);
        trivialMaxima[i] = closedLoop(client, trivialPort, tokens, ROUND);
      }
      double max = median(maxima);
      double trivialMax = median(trivialMaxima);
      int offered = (int) (max / 2);
      System.out.printf(
          Locale.ROOT,
          "%,d bound registrations, %d in flight for the maximum%n",
          REGISTRATIONS,
          IN_FLIGHT);
      System.out.printf(
          Locale.ROOT,
          "  maximum: listener %,8.0f POSTs/s, trivial endpoint %,8.0f POSTs/s, ratio %.3f%n",
          max,
          trivialMax,
          max / trivialMax);
      long[] listenerLatency =
          openLoop(client, listenerPort, tokens, offered, ROUND.multipliedBy(2));
      long[] trivialLatency = openLoop(client, trivialPort, tokens, offered, ROUND.multipliedBy(2));
      System.out.printf(
          Locale.ROOT, "  offered %,d POSTs/s (half the listener's maximum):%n", offered);
      report("listener", listenerLatency);
      report("trivial endpoint", trivialLatency);
      long pushes = ((ScriptedDispatcher) listener.getBean(Dispatcher.class)).received().size();
      System.out.printf(Locale.ROOT, "  pushes the scripted dispatcher received: %,d%n", pushes);
    } finally {
      connections.dispose();
      listener.close();
      trivial.close();
      dynalite.close();
    }
    System.exit(0);
  }

  private static String[] register(DynamoStore store) {
    long start = System.nanoTime();
    String[] tokens = new String[REGISTRATIONS];
    Flux.range(0, REGISTRATIONS)
        .flatMap(
            i -> {
              byte[] device = new byte[32];
              ThreadLocalRandom.current().nextBytes(device);
              byte[] owner = new byte[32];
              ThreadLocalRandom.current().nextBytes(owner);
              return store
                  .registrations()
                  .register(
                      new NewRegistration(
                          OwnerHash.of(HexFormat.of().formatHex(owner)),
                          AppId.of("com.example.mail"),
                          ApnsEnvironment.PRODUCTION,
                          DeviceToken.of(Platform.APNS, HexFormat.of().formatHex(device)),
                          Region.EU_WEST_1,
                          SubscriptionBinding.of(
                              SubscriptionId.of("bench-sub-" + i),
                              FolderId.of(INBOX),
                              new StatusFrequency(30)),
                          Duration.ofDays(30)))
                  .doOnNext(
                      outcome ->
                          tokens[i] = outcome.registration().callbackToken().value() + "|" + i);
            },
            32)
        .blockLast(Duration.ofMinutes(10));
    System.out.printf(
        Locale.ROOT,
        "registered %,d in %.1f s%n",
        REGISTRATIONS,
        (System.nanoTime() - start) / 1e9);
    return tokens;
  }

  private static Mono<Integer> post(HttpClient client, int port, String[] tokens) {
    String[] entry = tokens[ThreadLocalRandom.current().nextInt(tokens.length)].split("\\|");
    byte[] body =
        EwsPayloads.notification("bench-sub-" + entry[1])
            .newMail("item", INBOX)
            .folderModified(INBOX, ThreadLocalRandom.current().nextInt(100))
            .build();
    return client
        .port(port)
        .post()
        .uri("/ews/v1/" + entry[0])
        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
        .responseSingle((response, content) -> content.then(Mono.just(response.status().code())));
  }

  /** POSTs/s with a fixed number in flight. */
  private static double closedLoop(
      HttpClient client, int port, String[] tokens, Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    Flux.generate(sink -> sink.next(0))
        .takeWhile(ignored -> System.nanoTime() < end)
        .flatMap(
            ignored -> post(client, port, tokens).doOnNext(status -> check(status, done)),
            IN_FLIGHT)
        .blockLast(duration.plusSeconds(60));
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** Latencies at a fixed offered rate, each measured from its scheduled send time. */
  private static long[] openLoop(
      HttpClient client, int port, String[] tokens, int rate, Duration duration) {
    int total = (int) (rate * duration.toSeconds());
    long[] latencies = new long[total];
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime() + 10_000_000L;
    AtomicLong done = new AtomicLong();
    Flux.range(0, total)
        .flatMap(
            i -> {
              long due = start + i * period;
              long wait = Math.max(0, due - System.nanoTime());
              return Mono.delay(Duration.ofNanos(wait))
                  .then(post(client, port, tokens))
                  .doOnNext(
                      status -> {
                        check(status, done);
                        latencies[i] = System.nanoTime() - due;
                      });
            },
            Integer.MAX_VALUE)
        .blockLast(duration.plusSeconds(60));
    return latencies;
  }

  private static void check(int status, AtomicLong done) {
    if (status != 200) {
      throw new IllegalStateException("a POST was answered " + status);
    }
    done.incrementAndGet();
  }

  private static void report(String label, long[] latencies) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "    %-18s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%,d POSTs)%n",
        label,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
