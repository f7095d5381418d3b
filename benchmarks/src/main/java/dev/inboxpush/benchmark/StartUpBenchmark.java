package dev.inboxpush.benchmark;

import dev.inboxpush.benchmark.endtoend.ProcStat;
import dev.inboxpush.model.Region;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Benchmark of the listener's start-up as it ships, run by {@code ./mvnw -B -pl benchmarks -am
 * -DskipTests -P start-up verify} (see README): from spawning the process to the first 200 of its
 * readiness probe, with the warm-up's connections made (an APNs app and an FCM project against this
 * JVM's MockApnsServer and fake FCM server, over TLS), and its resident set at that moment.
 *
 * <p>The listener runs as the container image runs it: the service's runnable jar extracted into
 * Spring Boot's layout ({@code java -Djarmode=tools -jar ... extract}), started with {@code java
 * -jar}. Two ways, interleaved, {@value #STARTS} starts each after one start not counted: as
 * shipped, and with an application class-data archive (AppCDS, {@code -XX:SharedArchiveFile}) that
 * a training start wrote when it was stopped ({@code -XX:ArchiveClassesAtExit}; the starts that use
 * it run with {@code -Xshare:on}, so that one unable to map it fails rather than silently runs
 * without). Every start is a fresh JVM against the same peers and table, with {@code -Xmx512m}
 * where the image sizes the heap by {@code MaxRAMPercentage}; each is stopped with SIGTERM once
 * ready.
 */
public final class StartUpBenchmark {

  private static final int STARTS = 3;
  private static final Duration READY_LIMIT = Duration.ofSeconds(90);

  private StartUpBenchmark() {}

  /** What one start measured. */
  private record Start(double readyMs, double rssMb) {}

  public static void main(String[] args) throws Exception {
    System.out.println(Rounds.machine());
    Path jar = Path.of(System.getProperty("bench.listener.jar"));
    Path work =
        Files.createDirectories(Path.of(System.getProperty("bench.work", "target/start-up")));
    Path application = extract(jar, work.resolve("layout"));
    Path archive = work.resolve("listener.jsa");
    Files.deleteIfExists(archive);
    int exit = 0;
    Dynalite dynalite = Dynalite.start();
    MockApns apns = MockApns.start();
    FakeFcmServer fcm = FakeFcmServer.builder().build().start();
    String table = "bench-start-up-" + UUID.randomUUID();
    try {
      // Creates the table the listeners verify at start-up.
      DynamoStore.open(
              new StoreSettings(table, true, dynalite.endpoint(), null, 0, 0, null),
              Region.EU_WEST_1,
              Clock.systemUTC())
          .close();
      List<String> settings = FirstPushBenchmark.settings(dynalite, table, apns, fcm);
      print("first start, not counted (warms the peers)", start(application, settings, work));
      print(
          "training start (writes the class-data archive when stopped)",
          start(application, settings, work, "-XX:ArchiveClassesAtExit=" + archive));
      if (!Files.isRegularFile(archive)) {
        throw new IllegalStateException("the training start wrote no archive at " + archive);
      }
      List<Start> shipped = new ArrayList<>();
      List<Start> cds = new ArrayList<>();
      for (int i = 1; i <= STARTS; i++) {
        shipped.add(start(application, settings, work));
        print("  start " + i + ", as shipped", shipped.get(shipped.size() - 1));
        // -Xshare:on: a start that cannot map the archive fails instead of running without it.
        cds.add(
            start(application, settings, work, "-Xshare:on", "-XX:SharedArchiveFile=" + archive));
        print("  start " + i + ", with the archive", cds.get(cds.size() - 1));
      }
      System.out.printf(
          Locale.ROOT,
          "start-up to the first ready answer, warm-up included, %d starts each:%n"
              + "  as shipped:        median %6.0f ms (%s), RSS median %4.0f MB%n"
              + "  with AppCDS:       median %6.0f ms (%s), RSS median %4.0f MB (archive %d MB)%n",
          STARTS,
          median(shipped, Start::readyMs),
          range(shipped),
          median(shipped, Start::rssMb),
          median(cds, Start::readyMs),
          range(cds),
          median(cds, Start::rssMb),
          Files.size(archive) >> 20);
    } catch (IllegalStateException | IOException e) {
      System.out.println("FAILED: " + e.getMessage());
      exit = 1;
    } finally {
      fcm.close();
      apns.close();
      dynalite.close();
    }
    System.exit(exit);
  }

  /** Extracts the runnable jar as the image does; returns the jar to run. */
  private static Path extract(Path jar, Path layout) throws IOException, InterruptedException {
    if (Files.isDirectory(layout)) {
      try (Stream<Path> old = Files.walk(layout)) {
        old.sorted(java.util.Comparator.reverseOrder()).forEach(StartUpBenchmark::delete);
      }
    }
    Process tools =
        new ProcessBuilder(
                java(),
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--destination",
                layout.toString())
            .inheritIO()
            .start();
    if (tools.waitFor() != 0) {
      throw new IllegalStateException("could not extract " + jar);
    }
    return layout.resolve(jar.getFileName());
  }

  /** One fresh listener: spawned, asked for readiness until 200, measured, stopped by SIGTERM. */
  private static Start start(Path application, List<String> settings, Path work, String... flags)
      throws IOException, InterruptedException {
    int port = freePort();
    int managementPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-Xmx512m");
    command.addAll(List.of(flags));
    command.add("-jar");
    command.add(application.toString());
    command.add("--server.port=" + port);
    command.add("--management.server.port=" + managementPort);
    command.add("--logging.level.root=WARN");
    command.addAll(settings);
    Path log = work.resolve("listener-" + UUID.randomUUID() + ".log");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long spawned = System.nanoTime();
    Process listener =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long until = spawned + READY_LIMIT.toNanos();
      while (true) {
        if (!listener.isAlive()) {
          throw new IllegalStateException(
              "the listener exited (" + listener.exitValue() + "); its output: " + log);
        }
        try {
          if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException("not ready within " + READY_LIMIT + "; output: " + log);
        }
        Thread.sleep(10);
      }
      double readyMs = (System.nanoTime() - spawned) / 1e6;
      return new Start(readyMs, ProcStat.rssBytes(listener.pid()) / (1024.0 * 1024.0));
    } finally {
      listener.destroy();
      if (!listener.waitFor(30, TimeUnit.SECONDS)) {
        listener.destroyForcibly().waitFor();
      }
    }
  }

  private static void print(String label, Start start) {
    System.out.printf(
        Locale.ROOT,
        "%s: ready after %.0f ms, RSS %.0f MB%n",
        label,
        start.readyMs(),
        start.rssMb());
  }

  private static double median(List<Start> starts, java.util.function.ToDoubleFunction<Start> of) {
    return Rounds.median(starts.stream().mapToDouble(of).toArray());
  }

  private static String range(List<Start> starts) {
    return String.format(
        Locale.ROOT,
        "%.0f to %.0f",
        starts.stream().mapToDouble(Start::readyMs).min().orElse(0),
        starts.stream().mapToDouble(Start::readyMs).max().orElse(0));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
