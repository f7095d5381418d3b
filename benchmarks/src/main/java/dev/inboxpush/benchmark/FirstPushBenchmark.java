package dev.inboxpush.benchmark;

import dev.inboxpush.benchmark.endtoend.ProcStat;
import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.tls.TestPki;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark of the first badge after a fresh start, run by {@code ./mvnw -B -pl benchmarks -am
 * -DskipTests -P first-push verify} (see README): the latency of the first EWS POST of a fresh
 * listener, from sending it to its answer, for one registration whose push goes to APNs and one
 * whose push goes to FCM (both POSTed at once, so each is the first of its platform and meets the
 * listener cold), with the start-up warm-up off ({@code inboxpush.dispatch.warm-up.deadline=0}) and
 * on (5s, the default), {@value #STARTS} starts of each, interleaved, medians side by side.
 *
 * <p>Every start is a fresh JVM ({@link Start}, forked with this JVM's {@code java} and class
 * path), so nothing is connected, fetched, loaded or compiled before it. This JVM runs the peers
 * once for all starts, on 127.0.0.1: dynalite, pushy's MockApnsServer over TLS (token
 * authentication) and the fake FCM server (service-account credentials through the real
 * firebase-admin client, its OAuth2 token endpoint included). One first start, not counted, warms
 * the peers themselves. After each start this JVM reads the two registrations' listener state: a
 * first push that missed the 2 s push budget shows as a pending badge.
 */
public final class FirstPushBenchmark {

  private static final int STARTS = 3;
  private static final String APP = "com.example.mail";
  private static final String PROJECT = "bench-project";
  private static final String INBOX = "AQMkInboxFolderBench=";
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final SecureRandom RANDOM = new SecureRandom();

  private FirstPushBenchmark() {}

  /** What one fresh start measured. */
  private record Figures(
      double readyMs,
      double processReadyMs,
      double rssMb,
      double apnsMs,
      double fcmMs,
      double apnsPushMs,
      double fcmPushMs,
      String apns,
      String fcm) {}

  public static void main(String[] args) throws Exception {
    System.out.println(Rounds.machine());
    int exit = 0;
    Dynalite dynalite = Dynalite.start();
    MockApns apns = MockApns.start();
    FakeFcmServer fcm = FakeFcmServer.builder().build().start();
    String table = "bench-first-push-" + UUID.randomUUID();
    try (DynamoStore store =
        DynamoStore.open(
            new StoreSettings(table, true, dynalite.endpoint(), null, 0, 0, null),
            Region.EU_WEST_1,
            Clock.systemUTC())) {
      List<String> settings = settings(dynalite, table, apns, fcm);
      Figures first =
          start("first start, not counted (warms the peers)", "5s", settings, store, apns);
      print("", first);
      List<Figures> off = new ArrayList<>();
      List<Figures> on = new ArrayList<>();
      for (int i = 1; i <= STARTS; i++) {
        off.add(start("start " + i + ", warm-up off", "0", settings, store, apns));
        print("  ", off.get(off.size() - 1));
        on.add(start("start " + i + ", warm-up on (5s)", "5s", settings, store, apns));
        print("  ", on.get(on.size() - 1));
      }
      System.out.printf(
          Locale.ROOT,
          "first badge POST after a fresh start, median of %d starts (answer time; ready = run()"
              + " of the application):%n"
              + "  warm-up off: APNs %7.1f ms  FCM %7.1f ms  (the push itself: APNs %7.1f ms,"
              + " FCM %7.1f ms)  ready after %6.0f ms  (%s)%n"
              + "  warm-up on:  APNs %7.1f ms  FCM %7.1f ms  (the push itself: APNs %7.1f ms,"
              + " FCM %7.1f ms)  ready after %6.0f ms  (%s)%n"
              + "start-up with the warm-up on, from process start to the first 200 of the"
              + " readiness probe: median %.0f ms (range %.0f to %.0f), RSS when ready median"
              + " %.0f MB%n",
          STARTS,
          median(off, Figures::apnsMs),
          median(off, Figures::fcmMs),
          median(off, Figures::apnsPushMs),
          median(off, Figures::fcmPushMs),
          median(off, Figures::readyMs),
          verdicts(off),
          median(on, Figures::apnsMs),
          median(on, Figures::fcmMs),
          median(on, Figures::apnsPushMs),
          median(on, Figures::fcmPushMs),
          median(on, Figures::readyMs),
          verdicts(on),
          median(on, Figures::processReadyMs),
          on.stream().mapToDouble(Figures::processReadyMs).min().orElse(0),
          on.stream().mapToDouble(Figures::processReadyMs).max().orElse(0),
          median(on, Figures::rssMb));
    } catch (IllegalStateException e) {
      System.out.println("FAILED: " + e.getMessage());
      exit = 1;
    } finally {
      fcm.close();
      apns.close();
      dynalite.close();
    }
    System.exit(exit);
  }

  /** The child's settings: the table, and both dispatchers pointed at this JVM's peers. */
  static List<String> settings(Dynalite dynalite, String table, MockApns apns, FakeFcmServer fcm) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("inboxpush.region", "eu-west-1");
    settings.put("inboxpush.dynamodb.endpoint", dynalite.endpoint().toString());
    settings.put("inboxpush.dynamodb.table-name", table);
    settings.put("inboxpush.listener.outbox.enabled", "false");
    settings.putAll(apns.listenerProperties(apns.newSigningKey("KEY0000001", APP), APP));
    Path account = fcm.newServiceAccount(PROJECT).file();
    Path trusted = TestPki.writeTemp(fcm.trustRoot().getCertificatePEM(), ".pem");
    settings.put("inboxpush.fcm.projects[0].project-id", PROJECT);
    settings.put("inboxpush.fcm.projects[0].credentials-file", account.toString());
    settings.put("inboxpush.fcm.base-url", fcm.baseUrl());
    settings.put("inboxpush.fcm.trusted-server-certificates", trusted.toString());
    List<String> arguments = new ArrayList<>();
    settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    return arguments;
  }

  /** Registers a fresh device of each platform, forks a fresh listener JVM, reads its figures. */
  private static Figures start(
      String label, String deadline, List<String> settings, DynamoStore store, MockApns apns)
      throws Exception {
    String apnsToken = HexFormat.of().formatHex(bytes(32));
    apns.allow(APP, apnsToken);
    String apnsSubscription = "sub-apns-" + UUID.randomUUID();
    String fcmSubscription = "sub-fcm-" + UUID.randomUUID();
    Registration iphone =
        register(
            store, APP, ApnsEnvironment.PRODUCTION, Platform.APNS, apnsToken, apnsSubscription);
    Registration android =
        register(
            store,
            PROJECT,
            null,
            Platform.FCM,
            Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(96)),
            fcmSubscription);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dbench.first.apns=" + iphone.callbackToken().value() + "," + apnsSubscription);
    command.add("-Dbench.first.fcm=" + android.callbackToken().value() + "," + fcmSubscription);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Start.class.getName());
    command.addAll(settings);
    command.add("--inboxpush.dispatch.warm-up.deadline=" + deadline);
    // Its summary line says how long the warm-up itself took (printed below, with any WARN).
    command.add("--logging.level.dev.inboxpush.listener.dispatch.WarmUp=INFO");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("RESULT ")) {
          result = line;
        } else if (!line.isBlank()) {
          System.out.println("    | " + line);
        }
      }
    }
    if (!child.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new IllegalStateException(label + ": the listener did not end within " + START_LIMIT);
    }
    if (result == null || child.exitValue() != 0) {
      throw new IllegalStateException(label + ": no figures (exit " + child.exitValue() + ")");
    }
    String[] fields = result.split(" ");
    return new Figures(
        Double.parseDouble(fields[1]),
        Double.parseDouble(fields[6]),
        Double.parseDouble(fields[7]),
        Double.parseDouble(fields[2]),
        Double.parseDouble(fields[3]),
        Double.parseDouble(fields[4]),
        Double.parseDouble(fields[5]),
        label + ": APNs " + verdict(store, iphone),
        "FCM " + verdict(store, android));
  }

  /** Whether the first push was taken within the push budget, or its badge went pending. */
  private static String verdict(DynamoStore store, Registration registration) {
    ListenerState state =
        store.listenerState().find(registration.id()).block(Duration.ofSeconds(10));
    if (state == null) {
      return "no state";
    }
    if (state.pending() != null) {
      return "pending (" + state.lastPushOutcome() + ")";
    }
    return String.valueOf(state.lastPushOutcome());
  }

  private static void print(String indent, Figures figures) {
    System.out.printf(
        Locale.ROOT,
        "%s%s, %s; first POST: APNs %.1f ms, FCM %.1f ms; the push itself: APNs %.1f ms, FCM"
            + " %.1f ms; ready after %.0f ms (%.0f ms from process start, RSS %.0f MB)%n",
        indent,
        figures.apns(),
        figures.fcm(),
        figures.apnsMs(),
        figures.fcmMs(),
        figures.apnsPushMs(),
        figures.fcmPushMs(),
        figures.readyMs(),
        figures.processReadyMs(),
        figures.rssMb());
  }

  private static String verdicts(List<Figures> starts) {
    long pending =
        starts.stream()
            .mapToLong(
                f -> (f.apns().contains("pending") ? 1 : 0) + (f.fcm().contains("pending") ? 1 : 0))
            .sum();
    return pending + " of " + 2 * starts.size() + " first badges pending";
  }

  private static double median(
      List<Figures> starts, java.util.function.ToDoubleFunction<Figures> of) {
    return Rounds.median(starts.stream().mapToDouble(of).toArray());
  }

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static Registration register(
      DynamoStore store,
      String app,
      @Nullable ApnsEnvironment environment,
      Platform platform,
      String token,
      String subscription) {
    return store
        .registrations()
        .register(
            new NewRegistration(
                OwnerHash.of(HexFormat.of().formatHex(bytes(32))),
                AppId.of(app),
                environment,
                DeviceToken.of(platform, token),
                Region.EU_WEST_1,
                SubscriptionBinding.of(
                    SubscriptionId.of(subscription), FolderId.of(INBOX), new StatusFrequency(30)),
                Duration.ofDays(30)))
        .block(Duration.ofSeconds(30))
        .registration();
  }

  /**
   * One fresh start, in its own JVM: starts the listener with the arguments given, asks its
   * readiness probe until it answers 200 (which also warms this JVM's HTTP client, not the
   * listener's EWS path), then POSTs a new-mail notification with a count to both callback URLs at
   * once (system properties {@code bench.first.apns} and {@code bench.first.fcm}: {@code <callback
   * token>,<SubscriptionId>}) and prints {@code RESULT <ready ms> <APNs POST ms> <FCM POST ms>
   * <APNs push ms> <FCM push ms> <process start to ready ms> <RSS MB>}, the pushes timed by the
   * dispatcher (SDK to answer), the start-up from the process's start (as the kernel records it) to
   * the probe's first 200.
   */
  public static final class Start {

    private Start() {}

    public static void main(String[] args) throws Exception {
      long started = System.nanoTime();
      ConfigurableApplicationContext listener = BenchmarkApps.listener(List.of(args));
      double readyMs = (System.nanoTime() - started) / 1e6;
      int port = BenchmarkApps.port(listener);
      int managementPort =
          listener.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest probe =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
              .timeout(Duration.ofSeconds(10))
              .build();
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
      while (status != 200 && System.nanoTime() < until) {
        Thread.sleep(10);
        status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
      }
      if (status != 200) {
        throw new IllegalStateException("not ready: " + status);
      }
      double processReadyMs =
          Duration.between(
                      ProcessHandle.current().info().startInstant().orElseThrow(), Instant.now())
                  .toNanos()
              / 1e6;
      double rssMb = ProcStat.rssBytes(ProcessHandle.current().pid()) / (1024.0 * 1024.0);
      CompletableFuture<Double> apns = post(http, port, System.getProperty("bench.first.apns"));
      CompletableFuture<Double> fcm = post(http, port, System.getProperty("bench.first.fcm"));
      double apnsMs = apns.join();
      double fcmMs = fcm.join();
      MeterRegistry meters = listener.getBean(MeterRegistry.class);
      System.out.printf(
          Locale.ROOT,
          "RESULT %.1f %.2f %.2f %.2f %.2f %.1f %.1f%n",
          readyMs,
          apnsMs,
          fcmMs,
          push(meters, "apns"),
          push(meters, "fcm"),
          processReadyMs,
          rssMb);
      System.out.flush();
      listener.close();
      System.exit(0);
    }

    /**
     * The one push of {@code platform} so far, from handing it to the SDK to its answer (the
     * dispatcher's own latency timer): what connecting costs it, without the rest of the POST.
     */
    private static double push(MeterRegistry meters, String platform) throws InterruptedException {
      // A push slower than the budget is still under way when its POST is answered.
      long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      Timer timer = meters.find(DispatchMetrics.LATENCY).tag("platform", platform).timer();
      while ((timer == null || timer.count() == 0) && System.nanoTime() < until) {
        Thread.sleep(50);
        timer = meters.find(DispatchMetrics.LATENCY).tag("platform", platform).timer();
      }
      if (timer == null || timer.count() != 1) {
        throw new IllegalStateException(
            platform + ": expected one push, found " + (timer == null ? 0 : timer.count()));
      }
      return timer.max(TimeUnit.MILLISECONDS);
    }

    /**
     * POSTs a new-mail notification to {@code target} ({@code <callback token>,<SubscriptionId>});
     * completes with the milliseconds to a 200 answer.
     */
    private static CompletableFuture<Double> post(HttpClient http, int port, String target) {
      String callbackToken = target.split(",")[0];
      byte[] body =
          EwsPayloads.notification(target.split(",")[1])
              .newMail("item-1", INBOX)
              .folderModified(INBOX, 3)
              .build();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + port + "/ews/v1/" + callbackToken))
              .header("Content-Type", "text/xml; charset=utf-8")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      long sent = System.nanoTime();
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .thenApply(
              response -> {
                double took = (System.nanoTime() - sent) / 1e6;
                if (response.statusCode() != 200 || !response.body().contains(">OK<")) {
                  throw new IllegalStateException(
                      "the first POST was answered "
                          + response.statusCode()
                          + ": "
                          + response.body());
                }
                return took;
              });
    }
  }
}
