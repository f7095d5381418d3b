package dev.inboxpush.benchmark;

import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.fcm.FcmDispatcher;
import dev.inboxpush.listener.dispatch.fcm.FcmProperties;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.tls.TestPki;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark of the FCM dispatcher, run by {@code ./mvnw -B -pl benchmarks -am -DskipTests -P
 * fcm-dispatch verify} (see README): one FirebaseApp against the pool, both through the real
 * firebase-admin client (HTTP/2 + TLS, service-account credentials) to the fake FCM server
 * answering after {@code bench.fcm.latency} (default 50 ms, 100 streams per connection as FCM
 * allows).
 *
 * <p>Each dispatcher is driven with twice its window outstanding (so its window stays full). One
 * warm-up round for one app and two for the pool, then {@value #ROUNDS} interleaved rounds; medians
 * and their ratio are printed. Every round checks that the fake counted exactly what was sent and
 * that every push was accepted. A round that falls short (on a loaded machine some pushes time out
 * and are answered retryable) says so with its counts and is run again, up to {@value #TRIES}
 * times; a round still short is left out of the medians, and the summary says how many were. Only a
 * failure to start or answers missing altogether fail the run: a machine too busy to finish a round
 * yields a report that says so, not a failed build.
 */
public final class FcmDispatchBenchmark {

  private static final int ROUNDS = 5;
  private static final int TRIES = 3;
  private static final String PROJECT = "bench-project";
  private static final int POOL = Integer.getInteger("bench.fcm.pool", 8);
  private static final int THREADS = 100;
  private static final Duration LATENCY =
      Duration.ofMillis(Integer.getInteger("bench.fcm.latency", 50));
  private static final int TOKENS = 1000;

  private FcmDispatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.println(Rounds.machine() + "; fake FCM latency " + LATENCY.toMillis() + " ms");
    int exit = 0;
    try (FakeFcmServer fcm = FakeFcmServer.builder().build().start()) {
      Path account = fcm.newServiceAccount(PROJECT).file();
      Path trusted = TestPki.writeTemp(fcm.trustRoot().getCertificatePEM(), ".pem");
      fcm.setLatency(LATENCY);
      Push[] pushes = pushes();
      FcmDispatcher one = start(fcm, account, trusted, 1);
      FcmDispatcher pool = start(fcm, account, trusted, POOL);
      try {
        int oneRound = 4_000;
        int poolRound = 4_000 * Math.min(POOL, 5);
        report(round("warm-up, one app", fcm, one, pushes, THREADS, oneRound));
        report(round("warm-up, pool", fcm, pool, pushes, POOL * THREADS, poolRound));
        report(round("warm-up, pool", fcm, pool, pushes, POOL * THREADS, poolRound));
        List<Double> oneRates = new ArrayList<>();
        List<Double> poolRates = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
          measured("one app", fcm, one, pushes, THREADS, oneRound).ifPresent(oneRates::add);
          measured("pool", fcm, pool, pushes, POOL * THREADS, poolRound).ifPresent(poolRates::add);
        }
        if (oneRates.isEmpty() || poolRates.isEmpty()) {
          System.out.println(
              "no figures: every round of "
                  + (oneRates.isEmpty() ? "one app" : "the pool")
                  + " fell short "
                  + TRIES
                  + " times (the machine is too busy for this benchmark now)");
        } else {
          double oneMedian = Rounds.median(toArray(oneRates));
          double poolMedian = Rounds.median(toArray(poolRates));
          System.out.printf(
              Locale.ROOT,
              "one FirebaseApp       median %,8.0f messages/s  (rounds %s%s)%n"
                  + "pool of %d apps        median %,8.0f messages/s  (rounds %s%s)%n"
                  + "pool / one app %.2f (target >= 3): %s; pool >= 5,000/s: %s%n",
              oneMedian,
              Rounds.format(toArray(oneRates)),
              leftOut(oneRates),
              POOL,
              poolMedian,
              Rounds.format(toArray(poolRates)),
              leftOut(poolRates),
              poolMedian / oneMedian,
              poolMedian / oneMedian >= 3 ? "met" : "NOT MET",
              poolMedian >= 5000 ? "met" : "NOT MET");
        }
      } catch (IllegalStateException e) {
        System.out.println("FAILED: " + e.getMessage());
        exit = 1;
      } finally {
        one.close();
        pool.close();
      }
    }
    System.exit(exit);
  }

  private static FcmDispatcher start(FakeFcmServer fcm, Path account, Path trusted, int apps) {
    return FcmDispatcher.start(
        new FcmProperties(
            List.of(new FcmProperties.Project(PROJECT, account)),
            URI.create(fcm.baseUrl()),
            trusted,
            null,
            apps,
            THREADS,
            4 * apps * THREADS,
            Duration.ofSeconds(30),
            Duration.ofHours(1),
            Duration.ofSeconds(10)),
        new DispatchProperties(
            new DispatchProperties.Circuit(
                50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 5),
            new DispatchProperties.Valve(
                50, 50, Duration.ofMinutes(10), Duration.ofMinutes(30), 20),
            new DispatchProperties.WarmUpSettings(Duration.ZERO)),
        CircuitBreakerRegistry.ofDefaults(),
        new DispatchMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
        Clock.systemUTC());
  }

  private static Push[] pushes() {
    SecureRandom random = new SecureRandom();
    Push[] pushes = new Push[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      byte[] bytes = new byte[96];
      random.nextBytes(bytes);
      RegistrationId id = RegistrationId.random();
      pushes[i] =
          new Push(
              id,
              AppId.of(PROJECT),
              null,
              DeviceToken.of(
                  Platform.FCM, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)),
              PushKind.NEW_MAIL,
              i % 100,
              true,
              id.value(),
              null);
    }
    return pushes;
  }

  /** What one round sent and how it was answered. */
  private record Round(String name, int count, long accepted, int received, double rate) {

    boolean complete() {
      return accepted == count && received == count;
    }
  }

  /** A measured round: run again while it falls short, at most {@value #TRIES} times. */
  private static java.util.Optional<Double> measured(
      String name,
      FakeFcmServer fcm,
      FcmDispatcher dispatcher,
      Push[] pushes,
      int window,
      int count)
      throws InterruptedException {
    for (int attempt = 1; attempt <= TRIES; attempt++) {
      Round round = round(name, fcm, dispatcher, pushes, window, count);
      if (round.complete()) {
        return java.util.Optional.of(round.rate());
      }
      report(round);
    }
    System.out.println(name + ": still short after " + TRIES + " tries; left out of the median");
    return java.util.Optional.empty();
  }

  /** Says so when a round fell short; a complete one prints nothing. */
  private static void report(Round round) {
    if (!round.complete()) {
      System.out.printf(
          Locale.ROOT,
          "%s: fell short: sent %d, accepted %d, fake received %d (%.0f messages/s)%n",
          round.name(),
          round.count(),
          round.accepted(),
          round.received(),
          round.rate());
    }
  }

  private static String leftOut(List<Double> rates) {
    int missing = ROUNDS - rates.size();
    return missing == 0 ? "" : "; " + missing + " of " + ROUNDS + " left out, still short";
  }

  private static double[] toArray(List<Double> rates) {
    return rates.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Sends {@code count} pushes with {@code window} x 2 outstanding; counts what was accepted. */
  private static Round round(
      String name,
      FakeFcmServer fcm,
      FcmDispatcher dispatcher,
      Push[] pushes,
      int window,
      int count)
      throws InterruptedException {
    int before = fcm.accepted();
    long start = System.nanoTime();
    long accepted =
        Rounds.drive(
            name,
            i -> dispatcher.dispatch(pushes[i % TOKENS]),
            count,
            2 * window,
            Duration.ofSeconds(300));
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Round(name, count, accepted, fcm.accepted() - before, count / seconds);
  }
}
