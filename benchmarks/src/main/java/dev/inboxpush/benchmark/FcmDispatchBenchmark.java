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
 * that every push was accepted; otherwise the run fails.
 */
public final class FcmDispatchBenchmark {

  private static final int ROUNDS = 5;
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
        round("warm-up, one app", fcm, one, pushes, THREADS, oneRound);
        round("warm-up, pool", fcm, pool, pushes, POOL * THREADS, poolRound);
        round("warm-up, pool", fcm, pool, pushes, POOL * THREADS, poolRound);
        double[] oneRates = new double[ROUNDS];
        double[] poolRates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
          oneRates[i] = round("one app", fcm, one, pushes, THREADS, oneRound);
          poolRates[i] = round("pool", fcm, pool, pushes, POOL * THREADS, poolRound);
        }
        double oneMedian = Rounds.median(oneRates);
        double poolMedian = Rounds.median(poolRates);
        System.out.printf(
            Locale.ROOT,
            "one FirebaseApp       median %,8.0f messages/s  (rounds %s)%n"
                + "pool of %d apps        median %,8.0f messages/s  (rounds %s)%n"
                + "pool / one app %.2f (target >= 3): %s; pool >= 5,000/s: %s%n",
            oneMedian,
            Rounds.format(oneRates),
            POOL,
            poolMedian,
            Rounds.format(poolRates),
            poolMedian / oneMedian,
            poolMedian / oneMedian >= 3 ? "met" : "NOT MET",
            poolMedian >= 5000 ? "met" : "NOT MET");
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

  /** Sends {@code count} pushes with {@code window} x 2 outstanding; checks the fake's count. */
  private static double round(
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
    int received = fcm.accepted() - before;
    if (accepted != count || received != count) {
      throw new IllegalStateException(
          name + ": sent " + count + ", accepted " + accepted + ", fake received " + received);
    }
    return count / seconds;
  }
}
