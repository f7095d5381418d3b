package dev.inboxpush.benchmark.endtoend;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.inboxpush.benchmark.TrivialEndpointApplication;
import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.local.stack.StackOptions;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.dynamo.DynamoStore;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end benchmark (issue 17): the whole path on one machine, each part in its own process
 * so that CPU is counted per process from {@code /proc}. The local stack ({@link LocalStack}:
 * dynalite, the push peer with pushy's MockApnsServer and the fake FCM v1 server, the listener and
 * the registration service from their jars, the listener's JVM as production runs it), the trivial
 * WebFlux endpoint ({@link TrivialEndpointApplication}) in a JVM of its own, and this process as
 * the load generator. Targets, interleaved round by round after a warm-up of each:
 *
 * <ol>
 *   <li>{@code trivial}: the ingest ceiling, the same body answered with the fixed reply;
 *   <li>{@code parse-only}: the listener with a token that cannot exist;
 *   <li>{@code apns-cold}: the listener through to MockApnsServer, every POST to a registration not
 *       POSTed to for longer than the lookup cache's 30 s (production-like: every POST misses);
 *       {@code apns-warm} beside it, a few registrations in turn (every lookup a cache hit);
 *   <li>{@code fcm-cold}: the same to the fake FCM answering after 50 ms, through firebase-admin;
 *   <li>{@code pushy}: raw pushy from this process to the same MockApnsServer, the APNs ceiling.
 * </ol>
 *
 * Closed loop first (maximum requests/s), then open loop at half the APNs and FCM maxima, the
 * trivial endpoint at the same offered loads. Every round checks that the push peer received one
 * push per answered POST; a missing one fails the run. Prints a table and writes BENCHMARKS.md.
 *
 * <p>Run by {@code ./mvnw -B -pl benchmarks -am -DskipTests -P end-to-end verify} ({@link Settings}
 * lists the options: {@code -Dbench.mode=full}, {@code -Dbench.jfr=true}, ...).
 */
public final class EndToEndBenchmark {

  static final String LISTENER = "listener";
  static final String DYNALITE = "dynalite";
  static final String PUSH = "push peer";
  static final String TRIVIAL = "trivial";

  /**
   * The listener's JVM: production's collector and compiler (the local run's are C1 and serial).
   */
  static final List<String> LISTENER_JVM = List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError");

  private static final int PUSHY_WINDOW = 1000;

  private EndToEndBenchmark() {}

  /** A target's closed-loop stretch of {@code duration}. */
  private interface Closed {
    Traffic.Outcome run(Duration duration) throws Exception;
  }

  /**
   * One target.
   *
   * @param key short name, e.g. {@code apns-cold}
   * @param label what it is, for the table
   * @param server the process that serves it
   * @param pushes whether each answered request must push
   */
  record Target(String key, String label, String server, boolean pushes) {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromSystemProperties();
    Machine machine = Machine.describe();
    System.out.println(machine.summary());
    System.out.println("load at start: " + ProcStat.loadAverage());
    Path data = settings.repository().resolve("benchmarks/target/end-to-end");
    // For re-running the same build without Maven: java -cp "$(cat ...)" ...EndToEndBenchmark
    Files.createDirectories(data);
    Files.writeString(
        data.resolveSibling("end-to-end.classpath"), System.getProperty("java.class.path"));
    Path jfrFile = data.resolve("listener.jfr");
    List<String> listenerJvm = new ArrayList<>(LISTENER_JVM);
    if (settings.jfr()) {
      listenerJvm.add("-XX:StartFlightRecording=name=bench,settings=profile,disk=true");
    }
    StackOptions options =
        StackOptions.defaults(settings.repository())
            .withDataRoot(data)
            .withFresh(true)
            .withRegions(List.of(Region.US_EAST_1), true)
            .withOverrides("listener", new StackOptions.PartOverrides(listenerJvm, Map.of()))
            .withOverrides(
                "push",
                new StackOptions.PartOverrides(
                    List.of(),
                    Map.of(
                        "LOCAL_FCM_LATENCY_MS", Long.toString(settings.fcmLatency().toMillis()))));
    List<Round> rounds = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> finals = new LinkedHashMap<>();
    List<Instant[]> listenerWindows = new ArrayList<>();
    Instant began = Instant.now();
    Process trivial = null;
    String registering;
    try (LocalStack stack = LocalStack.start(options)) {
      System.out.printf(Locale.ROOT, "stack ready in %.1f s%n", stack.startedIn().toMillis() / 1e3);
      int trivialPort = freePort();
      int trivialManagement = freePort();
      trivial = startTrivial(data, trivialPort, trivialManagement);
      URI trivialActuator = URI.create("http://127.0.0.1:" + trivialManagement);
      awaitReady(trivial, trivialActuator.resolve("/actuator/health/readiness"), data);

      Map<String, Long> pids = new LinkedHashMap<>();
      stack.parts().forEach(part -> pids.put(part.name(), part.pid()));
      long listenerPid = pids.get("listener " + Region.US_EAST_1.code());
      Watch watch =
          new Watch(
              List.of(
                  new Watch.Part(
                      LISTENER, listenerPid, stack.listenerManagementUrl(Region.US_EAST_1), true),
                  new Watch.Part(DYNALITE, pids.get("dynalite"), null, false),
                  new Watch.Part(PUSH, pids.get("push"), null, true),
                  new Watch.Part(TRIVIAL, trivial.pid(), trivialActuator, true),
                  new Watch.Part(Watch.SELF, ProcessHandle.current().pid(), null, true)),
              stack.inspectorUrl());

      long start = System.nanoTime();
      Registrations apns;
      Registrations fcm;
      try (DynamoStore store =
          DynamoStore.open(
              // Setup, not measured: a long bound per call, on a machine other builds share.
              new StoreSettings(
                  "inboxpush", false, stack.dynamoEndpoint(), Duration.ofSeconds(60), 0, 0, null),
              Region.US_EAST_1,
              Clock.systemUTC())) {
        apns =
            Registrations.register(
                store.registrations(),
                Platform.APNS,
                settings.apnsRegistrations(),
                Region.US_EAST_1,
                "apns");
        fcm =
            Registrations.register(
                store.registrations(),
                Platform.FCM,
                settings.fcmRegistrations(),
                Region.US_EAST_1,
                "fcm");
      }
      registering =
          String.format(
              Locale.ROOT,
              "%,d APNs registrations on %,d devices and %,d FCM registrations on %,d devices,"
                  + " bound, made through the store in %.1f s",
              apns.size(),
              apns.devices(),
              fcm.size(),
              fcm.devices(),
              (System.nanoTime() - start) / 1e9);
      System.out.println(registering);

      int listenerPort = stack.listenerUrl(Region.US_EAST_1).getPort();
      try (Traffic traffic = new Traffic(settings.inFlight())) {
        Path push = data.resolve("push");
        @SuppressWarnings("deprecation") // pushy needs the Netty 4.1-style group
        NioEventLoopGroup pushyLoop = new NioEventLoopGroup(1);
        ApnsClient pushy =
            new ApnsClientBuilder()
                .setApnsServer("127.0.0.1", stack.options().ports().apns())
                .setSigningKey(
                    ApnsSigningKey.loadFromPkcs8File(
                        push.resolve("apns-signing-key.p8").toFile(),
                        LocalStack.APNS_TEAM_ID,
                        LocalStack.APNS_KEY_ID))
                .setTrustedServerCertificateChain(push.resolve("ca.pem").toFile())
                .setEventLoopGroup(pushyLoop)
                .setConcurrentConnections(1)
                .build();
        try {
          Map<Target, Closed> closed = new LinkedHashMap<>();
          closed.put(
              new Target("trivial", "trivial WebFlux endpoint (fixed reply)", TRIVIAL, false),
              d -> traffic.closed(trivialPort, apns.unregistered("trivial"), "OK", d));
          closed.put(
              new Target(
                  "parse-only",
                  "listener, parse only (a token that cannot exist)",
                  LISTENER,
                  false),
              d -> traffic.closed(listenerPort, apns.unregistered("x"), "Unsubscribe", d));
          closed.put(
              new Target(
                  "apns-cold",
                  "listener → MockApnsServer, every lookup a cache miss (production-like)",
                  LISTENER,
                  true),
              d -> traffic.closed(listenerPort, apns.cold(), "OK", d));
          closed.put(
              new Target(
                  "apns-warm", "listener → MockApnsServer, warm lookup cache", LISTENER, true),
              d -> traffic.closed(listenerPort, apns.warm(settings.warmSet()), "OK", d));
          closed.put(
              new Target(
                  "fcm-cold",
                  "listener → fake FCM (" + settings.fcmLatency().toMillis() + " ms), cache miss",
                  LISTENER,
                  true),
              d -> traffic.closed(listenerPort, fcm.cold(), "OK", d));
          closed.put(
              new Target(
                  "pushy",
                  "raw pushy → MockApnsServer (the APNs ceiling, " + PUSHY_WINDOW + " in flight)",
                  PUSH,
                  true),
              d -> pushy(pushy, d));

          // One request each first, retried while a cold part answers 503: a target that never
          // answers as expected stops the run.
          traffic.probe(trivialPort, apns.unregistered("trivial"), "OK", 30);
          traffic.probe(listenerPort, apns.unregistered("x"), "Unsubscribe", 30);
          try {
            traffic.probe(listenerPort, apns.cold(), "OK", 60);
          } catch (IllegalStateException e) {
            throw diagnosed("apns-cold", e, stack);
          }
          try {
            traffic.probe(listenerPort, fcm.cold(), "OK", 60);
          } catch (IllegalStateException e) {
            throw diagnosed("fcm-cold", e, stack);
          }
          Traffic.Outcome pushyProbe = pushy(pushy, Duration.ofMillis(100));
          if (pushyProbe.ok() == 0 || pushyProbe.failed() > 0) {
            throw new IllegalStateException("raw pushy: " + pushyProbe.firstFailure());
          }
          for (Map.Entry<Target, Closed> entry : closed.entrySet()) {
            Round warm =
                measure(watch, entry.getKey(), 0, entry.getValue(), settings.warmUp(), apns, fcm);
            print(warm);
            rounds.add(warm);
            check(warm, failures, warnings);
          }
          for (int r = 1; r <= settings.rounds(); r++) {
            for (Map.Entry<Target, Closed> entry : closed.entrySet()) {
              Instant from = Instant.now();
              Round round =
                  measure(
                      watch,
                      entry.getKey(),
                      r,
                      entry.getValue(),
                      settings.closedRound(),
                      apns,
                      fcm);
              if (entry.getKey().server().equals(LISTENER)) {
                listenerWindows.add(new Instant[] {from, Instant.now()});
              }
              print(round);
              rounds.add(round);
              check(round, failures, warnings);
            }
          }
          int apnsRate = Math.max(1, (int) (median(rounds, "apns-cold") / 2));
          int fcmRate = Math.max(1, (int) (median(rounds, "fcm-cold") / 2));
          Map<Target, Closed> open = new LinkedHashMap<>();
          open.put(
              new Target(
                  "apns-open",
                  "listener → MockApnsServer, cache miss, open loop at " + apnsRate + "/s",
                  LISTENER,
                  true),
              d -> traffic.open(listenerPort, apns.cold(), "OK", apnsRate, d));
          open.put(
              new Target(
                  "trivial-open-apns",
                  "trivial endpoint, open loop at " + apnsRate + "/s",
                  TRIVIAL,
                  false),
              d -> traffic.open(trivialPort, apns.unregistered("trivial"), "OK", apnsRate, d));
          open.put(
              new Target(
                  "fcm-open",
                  "listener → fake FCM, cache miss, open loop at " + fcmRate + "/s",
                  LISTENER,
                  true),
              d -> traffic.open(listenerPort, fcm.cold(), "OK", fcmRate, d));
          open.put(
              new Target(
                  "trivial-open-fcm",
                  "trivial endpoint, open loop at " + fcmRate + "/s",
                  TRIVIAL,
                  false),
              d -> traffic.open(trivialPort, apns.unregistered("trivial"), "OK", fcmRate, d));
          for (int r = 1; r <= settings.rounds(); r++) {
            for (Map.Entry<Target, Closed> entry : open.entrySet()) {
              Instant from = Instant.now();
              Round round =
                  measure(
                      watch, entry.getKey(), r, entry.getValue(), settings.openRound(), apns, fcm);
              if (entry.getKey().server().equals(LISTENER)) {
                listenerWindows.add(new Instant[] {from, Instant.now()});
              }
              print(round);
              rounds.add(round);
              check(round, failures, warnings);
            }
          }
          closed.keySet().forEach(t -> TARGETS.put(t.key(), t));
          open.keySet().forEach(t -> TARGETS.put(t.key(), t));
        } finally {
          pushy.close().get(30, TimeUnit.SECONDS);
          pushyLoop.shutdownGracefully().await(10, TimeUnit.SECONDS);
        }
      }
      // Heap after a full collection, and resident sets, at the end of the run.
      for (Watch.Part part : watch.parts()) {
        if (part.management() != null) {
          Watch.collect(part.pid());
          Prometheus metrics =
              Prometheus.parse(Watch.get(part.management().resolve("/actuator/prometheus")));
          finals.put(
              part.name() + " heap after GC",
              String.format(
                  Locale.ROOT,
                  "%.0f MB",
                  metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap")) / (1 << 20)));
        }
      }
      for (Watch.Part part : watch.parts()) {
        finals.put(
            part.name() + " RSS",
            String.format(
                Locale.ROOT, "%.0f MB", ProcStat.rssBytes(part.pid()) / (double) (1 << 20)));
      }
      finals.put("load at end (1 / 5 / 15 min)", ProcStat.loadAverage());
      if (settings.jfr()) {
        Watch.jcmd(listenerPid, "JFR.dump", "name=bench", "filename=" + jfrFile);
      }
    } finally {
      if (trivial != null) {
        trivial.destroy();
        if (!trivial.waitFor(15, TimeUnit.SECONDS)) {
          trivial.destroyForcibly();
        }
      }
    }
    String profile = settings.jfr() ? JfrSummary.of(jfrFile, listenerWindows).markdown() : null;
    Report report =
        new Report(
            settings,
            machine,
            began,
            registering,
            rounds,
            TARGETS,
            finals,
            failures,
            warnings,
            profile);
    System.out.println();
    System.out.println(report.table());
    Path written = report.write(settings.repository().resolve("BENCHMARKS.md"));
    System.out.println("wrote " + written);
    if (!failures.isEmpty()) {
      System.out.println("FAILED: " + String.join("; ", failures));
      System.exit(1);
    }
    System.exit(0);
  }

  /** Every target by key, in the order measured (filled as the run defines them). */
  static final Map<String, Target> TARGETS = new LinkedHashMap<>();

  private static Round measure(
      Watch watch,
      Target target,
      int round,
      Closed traffic,
      Duration duration,
      Registrations apns,
      Registrations fcm)
      throws Exception {
    long reusedBefore = apns.reused() + fcm.reused();
    Watch.Snapshot before = watch.take();
    Traffic.Outcome outcome = traffic.run(duration);
    long expected = target.pushes() ? outcome.ok() : 0;
    long seen =
        watch.awaitPushes(before.pushes() + expected, Duration.ofSeconds(30)) - before.pushes();
    Watch.Snapshot after = watch.take();
    return new Round(
        target.key(),
        round,
        outcome,
        before,
        after,
        expected,
        seen,
        apns.reused() + fcm.reused() - reusedBefore,
        ProcStat.loadAverage());
  }

  private static void check(Round round, List<String> failures, List<String> warnings) {
    String where = round.target() + (round.round() == 0 ? " warm-up" : " round " + round.round());
    if (round.pushesSeen() < round.pushesExpected()) {
      failures.add(
          where
              + ": "
              + (round.pushesExpected() - round.pushesSeen())
              + " of "
              + round.pushesExpected()
              + " deliveries missing at the push peer");
    }
    if (round.outcome().failed() > 0) {
      // The listener's own answer to overload (503, Exchange retries): a figure, not a failure.
      warnings.add(
          where
              + ": "
              + round.outcome().failed()
              + " requests not answered as expected, first: "
              + round.outcome().firstFailure());
    }
  }

  private static void print(Round round) {
    System.out.println(Report.roundLine(round));
  }

  private static double median(List<Round> rounds, String target) {
    return new Spread(
            rounds.stream()
                .filter(r -> r.target().equals(target) && r.round() > 0)
                .mapToDouble(r -> r.outcome().rate())
                .toArray())
        .median();
  }

  /** Raw pushy for {@code duration}, {@link #PUSHY_WINDOW} unanswered at most. */
  private static Traffic.Outcome pushy(ApnsClient client, Duration duration)
      throws InterruptedException {
    Semaphore window = new Semaphore(PUSHY_WINDOW);
    Traffic.Tally tally = new Traffic.Tally();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (System.nanoTime() < end) {
      window.acquire();
      long sent = System.nanoTime();
      byte[] device = new byte[32];
      ThreadLocalRandom.current().nextBytes(device);
      client
          .sendNotification(
              new SimpleApnsPushNotification(
                  HexFormat.of().formatHex(device),
                  LocalStack.APNS_TOPIC,
                  "{\"aps\":{\"badge\":"
                      + ThreadLocalRandom.current().nextInt(100)
                      + ",\"content-available\":1},\"inboxpush\":{\"kind\":\"new-mail\"}}",
                  Instant.now().plus(Duration.ofHours(1)),
                  DeliveryPriority.IMMEDIATE,
                  PushType.ALERT,
                  null))
          .whenComplete(
              (response, error) -> {
                tally.record(sent);
                if (response != null && response.isAccepted()) {
                  tally.succeeded();
                } else {
                  tally.failed(error != null ? error.toString() : String.valueOf(response));
                }
                window.release();
              });
    }
    if (!window.tryAcquire(PUSHY_WINDOW, 2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("raw pushy: answers missing after 2 minutes");
    }
    window.release(PUSHY_WINDOW);
    return tally.outcome((System.nanoTime() - start) / 1e9);
  }

  /** {@code failure} of {@code target}, with the listener's own counters printed first. */
  private static IllegalStateException diagnosed(
      String target, IllegalStateException failure, LocalStack stack) {
    String metrics =
        Watch.get(stack.listenerManagementUrl(Region.US_EAST_1).resolve("/actuator/prometheus"));
    for (String line : metrics.split("\n")) {
      if (line.startsWith("inboxpush_") && !line.contains("_bucket")) {
        System.out.println("  listener: " + line);
      }
    }
    return new IllegalStateException(target + ": " + failure.getMessage(), failure);
  }

  private static Process startTrivial(Path data, int port, int management) throws IOException {
    Path log = data.resolve("logs/trivial.log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LISTENER_JVM);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TrivialEndpointApplication.class.getName());
    command.add("--server.address=127.0.0.1");
    command.add("--server.port=" + port);
    command.add("--management.server.address=127.0.0.1");
    command.add("--management.server.port=" + management);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
  }

  private static void awaitReady(Process process, URI readiness, Path data)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the trivial endpoint exited; see " + data.resolve("logs/trivial.log"));
      }
      try {
        Watch.get(readiness);
        return;
      } catch (IllegalStateException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the trivial endpoint was not ready within 2 minutes");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
