package dev.inboxpush.benchmark;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.apns.ApnsDispatcher;
import dev.inboxpush.listener.dispatch.apns.ApnsProperties;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.testsupport.apns.MockApns;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark of the APNs dispatcher against raw pushy, run by {@code ./mvnw -B -pl benchmarks -am
 * -DskipTests -P apns-dispatch verify} (see README). One MockApnsServer (TLS, accept-all handler,
 * counting), token authentication, one connection and one event-loop thread on each side.
 *
 * <ul>
 *   <li>Raw pushy: {@code ApnsClient.sendNotification} with a semaphore of {@value #WINDOW} in
 *       flight, as pushy's wiki recommends.
 *   <li>The dispatcher: {@code ApnsDispatcher.dispatch} (lane, window of {@value #WINDOW}, circuit,
 *       dead-token valve, Prometheus metrics, pushy's Micrometer listener, the device-contract
 *       payload), driven the same way: callers keep {@value #WINDOW} outstanding (like for like).
 *   <li>The dispatcher with callers keeping twice the window outstanding: the lane's queue is never
 *       empty (it holds up to 4,000; 1,000 wait in it), so every next push is sent from pushy's
 *       event loop as an answer frees its slot.
 * </ul>
 *
 * {@value #WARM_UP} warm-up rounds each, then {@value #ROUNDS} interleaved rounds; medians and
 * their ratio are printed. Every round checks that the server counted exactly what was sent and
 * that every push was accepted; otherwise the run fails.
 */
public final class ApnsDispatchBenchmark {

  private static final int ROUNDS = 5;
  private static final int WARM_UP = 4;
  private static final int WINDOW = 1000;
  private static final int PER_ROUND = Integer.getInteger("bench.apns.notifications", 50_000);
  private static final String TOPIC = "com.example.mail";
  private static final int TOKENS = 1000;

  private ApnsDispatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.println(Rounds.machine());
    int exit = 0;
    try (MockApns mock = MockApns.startAcceptingAll()) {
      MockApns.SigningKey key = mock.newSigningKey("KEY0000001", TOPIC);
      Path trusted = mock.trustedCertificates();
      String[] tokens = new String[TOKENS];
      Push[] pushes = new Push[TOKENS];
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < TOKENS; i++) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        tokens[i] = HexFormat.of().formatHex(bytes);
        RegistrationId id = RegistrationId.random();
        pushes[i] =
            new Push(
                id,
                AppId.of(TOPIC),
                ApnsEnvironment.PRODUCTION,
                DeviceToken.of(Platform.APNS, tokens[i]),
                PushKind.NEW_MAIL,
                i % 100,
                true,
                id.value(),
                null);
      }

      @SuppressWarnings("deprecation") // pushy needs the Netty 4.1-style group (see ApnsDispatcher)
      NioEventLoopGroup rawLoop = new NioEventLoopGroup(1);
      ApnsClient raw =
          new ApnsClientBuilder()
              .setApnsServer("localhost", mock.port())
              .setSigningKey(
                  ApnsSigningKey.loadFromPkcs8File(
                      key.p8File().toFile(), key.teamId(), key.keyId()))
              .setTrustedServerCertificateChain(trusted.toFile())
              .setEventLoopGroup(rawLoop)
              .setConcurrentConnections(1)
              .build();
      ApnsDispatcher dispatcher =
          ApnsDispatcher.start(
              properties(mock, key, trusted),
              new DispatchProperties(
                  new DispatchProperties.Circuit(
                      50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 5),
                  new DispatchProperties.Valve(
                      50, 50, Duration.ofMinutes(10), Duration.ofMinutes(30), 20),
                  new DispatchProperties.WarmUpSettings(Duration.ZERO)),
              CircuitBreakerRegistry.ofDefaults(),
              new DispatchMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
              Clock.systemUTC());
      try {
        for (int i = 0; i < WARM_UP; i++) {
          round("warm-up raw", mock, () -> raw(raw, tokens, pushes));
          round("warm-up dispatcher", mock, () -> dispatcher(dispatcher, pushes, WINDOW));
          round("warm-up dispatcher", mock, () -> dispatcher(dispatcher, pushes, 2 * WINDOW));
        }
        double[] rawRates = new double[ROUNDS];
        double[] dispatcherRates = new double[ROUNDS];
        double[] saturatedRates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
          rawRates[i] = round("raw pushy", mock, () -> raw(raw, tokens, pushes));
          dispatcherRates[i] =
              round("dispatcher", mock, () -> dispatcher(dispatcher, pushes, WINDOW));
          saturatedRates[i] =
              round(
                  "dispatcher, queue full", mock, () -> dispatcher(dispatcher, pushes, 2 * WINDOW));
        }
        double rawMedian = Rounds.median(rawRates);
        double dispatcherMedian = Rounds.median(dispatcherRates);
        double saturatedMedian = Rounds.median(saturatedRates);
        System.out.printf(
            Locale.ROOT,
            "raw pushy, %d outstanding          median %,9.0f notifications/s  (rounds %s)%n"
                + "dispatcher, %d outstanding         median %,9.0f notifications/s  (rounds %s)%n"
                + "dispatcher, %d outstanding (queued) median %,9.0f notifications/s  (rounds %s)%n"
                + "ratio dispatcher/raw, like for like %.2f (target >= 0.80): %s%n"
                + "ratio dispatcher/raw, queue in use  %.2f%n",
            WINDOW,
            rawMedian,
            Rounds.format(rawRates),
            WINDOW,
            dispatcherMedian,
            Rounds.format(dispatcherRates),
            2 * WINDOW,
            saturatedMedian,
            Rounds.format(saturatedRates),
            dispatcherMedian / rawMedian,
            dispatcherMedian / rawMedian >= 0.8 ? "met" : "NOT MET",
            saturatedMedian / rawMedian);
      } catch (IllegalStateException e) {
        System.out.println("FAILED: " + e.getMessage());
        exit = 1;
      } finally {
        dispatcher.close();
        raw.close().get(10, TimeUnit.SECONDS);
        rawLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      }
    }
    System.exit(exit);
  }

  /** One round: sends {@link #PER_ROUND} pushes, checks the server's count, returns the rate. */
  private static double round(String name, MockApns mock, Run run) throws Exception {
    long before = mock.acceptedCount();
    long start = System.nanoTime();
    long accepted = run.sendAll();
    double seconds = (System.nanoTime() - start) / 1e9;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (mock.acceptedCount() - before < PER_ROUND && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long received = mock.acceptedCount() - before;
    if (accepted != PER_ROUND || received != PER_ROUND) {
      throw new IllegalStateException(
          name
              + ": sent "
              + PER_ROUND
              + ", accepted "
              + accepted
              + ", server received "
              + received);
    }
    return PER_ROUND / seconds;
  }

  private interface Run {
    long sendAll() throws Exception;
  }

  private static long raw(ApnsClient client, String[] tokens, Push[] pushes)
      throws InterruptedException {
    Semaphore window = new Semaphore(WINDOW);
    CountDownLatch done = new CountDownLatch(PER_ROUND);
    AtomicLong accepted = new AtomicLong();
    AtomicReference<String> firstProblem = new AtomicReference<>();
    for (int i = 0; i < PER_ROUND; i++) {
      Push push = pushes[i % TOKENS];
      window.acquire();
      client
          .sendNotification(
              new SimpleApnsPushNotification(
                  tokens[i % TOKENS],
                  TOPIC,
                  "{\"aps\":{\"badge\":"
                      + push.badge()
                      + ",\"content-available\":1},\"inboxpush\":{\"kind\":\"new-mail\","
                      + "\"registrationId\":\""
                      + push.registrationId().value()
                      + "\"}}",
                  Instant.now().plus(Duration.ofHours(1)),
                  DeliveryPriority.IMMEDIATE,
                  PushType.ALERT,
                  push.collapseKey()))
          .whenComplete(
              (response, error) -> {
                if (response != null && response.isAccepted()) {
                  accepted.incrementAndGet();
                } else if (firstProblem.get() == null) {
                  firstProblem.set(error != null ? error.toString() : response.toString());
                }
                window.release();
                done.countDown();
              });
    }
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("raw pushy: answers missing after 120 s");
    }
    if (firstProblem.get() != null) {
      System.out.println("raw pushy: first failure: " + firstProblem.get());
    }
    return accepted.get();
  }

  private static long dispatcher(ApnsDispatcher dispatcher, Push[] pushes, int callers)
      throws InterruptedException {
    return Rounds.drive(
        "dispatcher",
        i -> dispatcher.dispatch(pushes[i % TOKENS]),
        PER_ROUND,
        callers,
        Duration.ofSeconds(120));
  }

  private static ApnsProperties properties(MockApns mock, MockApns.SigningKey key, Path trusted) {
    ApnsProperties.Endpoint local = new ApnsProperties.Endpoint("localhost", mock.port());
    return new ApnsProperties(
        List.of(
            new ApnsProperties.App(
                TOPIC,
                Set.of(ApnsEnvironment.PRODUCTION),
                new ApnsProperties.Token(key.p8File(), key.keyId(), key.teamId()),
                null)),
        local,
        local,
        trusted,
        1,
        WINDOW,
        4 * WINDOW,
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        1,
        null);
  }
}
