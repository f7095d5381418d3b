package dev.inboxpush.benchmark.endtoend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The processes the benchmark measures, and snapshots of what they have used so far: CPU time from
 * {@code /proc} for each, JIT compile time for each JVM, and from the listener's and the trivial
 * endpoint's management port their Prometheus metrics (table calls, allocation). Snapshots are
 * taken between rounds only, never during one. Not thread-safe: the benchmark's main thread uses
 * it.
 */
final class Watch {

  /**
   * One measured process.
   *
   * @param name e.g. {@code listener}
   * @param pid its process id
   * @param management its Actuator base URL, when it has one
   * @param jvm whether it is a JVM (its compile time is read with {@code jcmd} when it has no
   *     Actuator)
   */
  record Part(String name, long pid, @Nullable URI management, boolean jvm) {}

  /**
   * What every part had used at one moment.
   *
   * @param nanos {@link System#nanoTime()} when taken
   * @param cpuMicros per part, its CPU time
   * @param compileMillis per JVM part, its JIT compile time
   * @param metrics per part with a management port, its metrics
   * @param pushes the push peer's last sequence number: pushes received since it started
   */
  record Snapshot(
      long nanos,
      Map<String, Long> cpuMicros,
      Map<String, Double> compileMillis,
      Map<String, Prometheus> metrics,
      long pushes) {}

  static final String SELF = "load generator";
  private static final Pattern LAST_SEQUENCE = Pattern.compile("\"lastSequence\"\\s*:\\s*(\\d+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final List<Part> parts;
  private final URI inspector;

  Watch(List<Part> parts, URI inspector) {
    this.parts = List.copyOf(parts);
    this.inspector = inspector;
  }

  List<Part> parts() {
    return parts;
  }

  Snapshot take() {
    Map<String, Long> cpu = new LinkedHashMap<>();
    Map<String, Double> compile = new LinkedHashMap<>();
    Map<String, Prometheus> metrics = new LinkedHashMap<>();
    for (Part part : parts) {
      cpu.put(part.name(), ProcStat.cpuMicros(part.pid()));
      if (part.management() != null) {
        Prometheus scraped =
            Prometheus.parse(get(part.management().resolve("/actuator/prometheus")));
        metrics.put(part.name(), scraped);
        compile.put(part.name(), scraped.sum("jvm_compilation_time_ms_total"));
      } else if (part.pid() == ProcessHandle.current().pid()) {
        compile.put(
            part.name(),
            (double) ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
      } else if (part.jvm()) {
        compile.put(part.name(), jcmdCompileMillis(part.pid()));
      }
    }
    return new Snapshot(System.nanoTime(), cpu, compile, metrics, pushes());
  }

  /** The push peer's count of pushes received (its inspector's last sequence number). */
  long pushes() {
    // after=<large>: the answer carries no rows, only the counters.
    String body = get(inspector.resolve("/api/pushes?after=999999999999999999"));
    Matcher matcher = LAST_SEQUENCE.matcher(body);
    if (!matcher.find()) {
      throw new IllegalStateException("the push inspector's answer has no lastSequence: " + body);
    }
    return Long.parseLong(matcher.group(1));
  }

  /** Waits until the push peer has received {@code expected} pushes, or {@code limit} passes. */
  long awaitPushes(long expected, Duration limit) throws InterruptedException {
    long until = System.nanoTime() + limit.toNanos();
    long seen = pushes();
    while (seen < expected && System.nanoTime() < until) {
      Thread.sleep(200);
      seen = pushes();
    }
    // Pushes still on their way would land in the next round: give stragglers a moment.
    Thread.sleep(500);
    return pushes();
  }

  /** Runs a full collection in {@code pid} ({@code jcmd GC.run}), for heap-after-GC figures. */
  static void collect(long pid) {
    jcmd(pid, "GC.run");
  }

  /** {@code jcmd <pid> <command>}'s output. */
  static String jcmd(long pid, String... command) {
    List<String> line = new java.util.ArrayList<>();
    line.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(Long.toString(pid));
    line.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", line), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running jcmd", e);
    }
  }

  /** HotSpot's own counters: {@code java.ci.totalTime} in ticks of {@code sun.os.hrt.frequency}. */
  static double jcmdCompileMillis(long pid) {
    String output = "";
    try {
      output = jcmd(pid, "PerfCounter.print");
      return compileMillis(output);
    } catch (RuntimeException e) {
      // Best effort: a JVM without its counters (or that jcmd cannot attach to) has no figure.
      if (!warned) {
        warned = true;
        System.out.println(
            "no JIT time for pid "
                + pid
                + ": "
                + output.substring(0, Math.min(300, output.length())));
      }
      return Double.NaN;
    }
  }

  private static boolean warned;

  static double compileMillis(String perfCounters) {
    Double ticks = null;
    Double frequency = null;
    for (String line : perfCounters.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("java.ci.totalTime=")) {
        ticks = Double.parseDouble(trimmed.substring("java.ci.totalTime=".length()));
      } else if (trimmed.startsWith("sun.os.hrt.frequency=")) {
        frequency = Double.parseDouble(trimmed.substring("sun.os.hrt.frequency=".length()));
      }
    }
    if (ticks == null || frequency == null) {
      throw new IllegalArgumentException("no java.ci.totalTime or sun.os.hrt.frequency counter");
    }
    return ticks * 1000 / frequency;
  }

  static String get(URI uri) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(uri + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("cannot GET " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
