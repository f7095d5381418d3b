package dev.inboxpush.benchmark.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one run as text: a line per round while it runs, then the tables, and the run's
 * section of BENCHMARKS.md (between {@code <!-- bench:LABEL -->} markers, so that a later run with
 * another label, e.g. {@code after}, adds its own section and one with the same label replaces it).
 * Immutable.
 */
final class Report {

  static final String COMMAND =
      "./mvnw -B -pl benchmarks -am -DskipTests -P end-to-end verify -Dbench.mode=full";

  private static final List<String> PARTS =
      List.of(
          EndToEndBenchmark.LISTENER,
          EndToEndBenchmark.DYNALITE,
          EndToEndBenchmark.PUSH,
          EndToEndBenchmark.TRIVIAL,
          Watch.SELF);

  private final Settings settings;
  private final Machine machine;
  private final Instant began;
  private final String registering;
  private final List<Round> rounds;
  private final Map<String, EndToEndBenchmark.Target> targets;
  private final Map<String, String> finals;
  private final List<String> failures;
  private final List<String> warnings;
  private final @Nullable String profile;

  Report(
      Settings settings,
      Machine machine,
      Instant began,
      String registering,
      List<Round> rounds,
      Map<String, EndToEndBenchmark.Target> targets,
      Map<String, String> finals,
      List<String> failures,
      List<String> warnings,
      @Nullable String profile) {
    this.settings = settings;
    this.machine = machine;
    this.began = began;
    this.registering = registering;
    this.rounds = List.copyOf(rounds);
    this.targets = Map.copyOf(targets);
    this.finals = Map.copyOf(finals);
    this.failures = List.copyOf(failures);
    this.warnings = List.copyOf(warnings);
    this.profile = profile;
  }

  /** One line per round, printed as it ends: so that a cold round shows itself at once. */
  static String roundLine(Round round) {
    StringBuilder line = new StringBuilder();
    line.append(
        String.format(
            Locale.ROOT,
            "%-18s %-8s %,9.0f req/s  p50 %7.2f p99 %7.2f ms | CPU µs/req",
            round.target(),
            round.round() == 0 ? "warm-up" : "round " + round.round(),
            round.outcome().rate(),
            round.outcome().latency().getValueAtPercentile(50) / 1e3,
            round.outcome().latency().getValueAtPercentile(99) / 1e3));
    for (String part : PARTS) {
      line.append(
          String.format(Locale.ROOT, " %s %,.0f", shortName(part), round.cpuPerRequest(part)));
    }
    line.append(" | JIT ms");
    for (String part : PARTS) {
      line.append(
          String.format(Locale.ROOT, " %s %,.0f", shortName(part), round.compileMillis(part)));
    }
    Map<String, Double> calls = round.callsPerRequest(EndToEndBenchmark.LISTENER);
    if (!calls.isEmpty()) {
      line.append(" | calls/req ").append(calls(calls));
    }
    double hits = round.cacheHitShare(EndToEndBenchmark.LISTENER);
    if (!Double.isNaN(hits)) {
      line.append(String.format(Locale.ROOT, " | lookup-cache hits %.0f%%", 100 * hits));
    }
    line.append(
        String.format(
            Locale.ROOT,
            " | pushes %,d/%,d | load %s",
            round.pushesSeen(),
            round.pushesExpected(),
            round.load()));
    if (round.outcome().failed() > 0) {
      line.append(" | FAILED ").append(round.outcome().failed());
    }
    return line.toString();
  }

  /** The summary tables (medians and ranges of the measured rounds), as Markdown. */
  String table() {
    StringBuilder text = new StringBuilder();
    text.append(
        "| target | requests/s | p50 ms | p99 ms | p99.9 ms | max ms | not answered as expected |"
            + " pushes seen / expected |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (String key : order()) {
      List<Round> measured = measured(key);
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %,d | %,d / %,d |%n",
              label(key),
              spread(measured, r -> r.outcome().rate()).format("%,.0f"),
              spread(measured, r -> r.outcome().latency().getValueAtPercentile(50) / 1e3)
                  .format("%.2f"),
              spread(measured, r -> r.outcome().latency().getValueAtPercentile(99) / 1e3)
                  .format("%.1f"),
              spread(measured, r -> r.outcome().latency().getValueAtPercentile(99.9) / 1e3)
                  .format("%.1f"),
              spread(measured, r -> r.outcome().latency().getMaxValue() / 1e3).format("%.1f"),
              measured.stream().mapToLong(r -> r.outcome().failed()).sum(),
              measured.stream().mapToLong(Round::pushesSeen).sum(),
              measured.stream().mapToLong(Round::pushesExpected).sum()));
    }
    text.append(
        "\nCost per request (median of the rounds, range in brackets): CPU µs per process, the"
            + " serving JVM's allocation, the listener's table calls\n\n"
            + "| target | listener CPU µs | dynalite CPU µs | push peer CPU µs | trivial CPU µs |"
            + " load generator CPU µs | allocated KB (serving JVM) | table calls per request |"
            + " lookup-cache hits | POSTs to a registration used within 31 s |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (String key : order()) {
      List<Round> measured = measured(key);
      String server = targets.get(key).server();
      text.append("| ").append(label(key));
      for (String part : PARTS) {
        text.append(" | ").append(spread(measured, r -> r.cpuPerRequest(part)).format("%,.0f"));
      }
      double allocation =
          new Spread(
                  measured.stream()
                      .mapToDouble(r -> r.perRequest(server, Round.ALLOCATED) / 1024)
                      .toArray())
              .median();
      text.append(
          String.format(
              Locale.ROOT,
              " | %s | %s | %s | %s |%n",
              Double.isNaN(allocation) ? "–" : String.format(Locale.ROOT, "%,.0f", allocation),
              server.equals(EndToEndBenchmark.LISTENER) ? medianCalls(measured) : "–",
              server.equals(EndToEndBenchmark.LISTENER)
                  ? spread(measured, r -> 100 * r.cacheHitShare(EndToEndBenchmark.LISTENER))
                          .format("%.0f")
                      + "%"
                  : "–",
              key.endsWith("cold") || key.endsWith("open") && !key.startsWith("trivial")
                  ? String.format(
                      Locale.ROOT, "%,d", measured.stream().mapToLong(Round::reused).sum())
                  : "–"));
    }
    double cold = median("apns-cold", r -> r.cpuPerRequest(EndToEndBenchmark.LISTENER));
    double parse = median("parse-only", r -> r.cpuPerRequest(EndToEndBenchmark.LISTENER));
    text.append(
        String.format(
            Locale.ROOT,
            "%nListener CPU per production-like APNs POST: %,.0f µs, %.1f x its parse-only CPU per"
                + " POST (%,.0f µs); maximum %.3f of the trivial endpoint's requests/s.%n",
            cold,
            cold / parse,
            parse,
            median("apns-cold", r -> r.outcome().rate())
                / median("trivial", r -> r.outcome().rate())));
    return text.toString();
  }

  /** Every round of every target, each process's CPU per request and JIT time in it. */
  String perRound() {
    StringBuilder text = new StringBuilder();
    text.append("| target | round | requests/s |");
    PARTS.forEach(p -> text.append(" ").append(p).append(" µs/req |"));
    PARTS.forEach(p -> text.append(" ").append(p).append(" JIT ms |"));
    text.append(" load |\n|---|---|---|");
    PARTS.forEach(p -> text.append("---|---|"));
    text.append("---|\n");
    for (Round round : rounds) {
      text.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,.0f |",
              round.target(),
              round.round() == 0 ? "warm-up" : Integer.toString(round.round()),
              round.outcome().rate()));
      PARTS.forEach(
          p -> text.append(String.format(Locale.ROOT, " %,.0f |", round.cpuPerRequest(p))));
      PARTS.forEach(
          p -> text.append(String.format(Locale.ROOT, " %,.0f |", round.compileMillis(p))));
      text.append(" ").append(round.load()).append(" |\n");
    }
    return text.toString();
  }

  /** The run's section of BENCHMARKS.md. */
  String section() {
    StringBuilder text = new StringBuilder();
    text.append("<!-- bench:").append(settings.label()).append(" -->\n");
    text.append("## ")
        .append(settings.label())
        .append(": ")
        .append(settings.full() ? "full mode" : "quick mode (not the recorded figures)")
        .append(", ")
        .append(began.truncatedTo(ChronoUnit.SECONDS))
        .append("\n\n");
    if (!failures.isEmpty()) {
      text.append("**The run FAILED**: ").append(String.join("; ", failures)).append("\n\n");
    }
    if (!warnings.isEmpty()) {
      text.append("Requests not answered as expected (no push expected for them): ")
          .append(String.join("; ", warnings))
          .append("\n\n");
    }
    text.append("- code: `")
        .append(machine.commit())
        .append(
            "`; the services' code (listener, store, auto-configuration, model) last changed in `")
        .append(machine.services())
        .append("`\n");
    text.append(
        String.format(
            Locale.ROOT,
            "- machine: %d cores (%s), %,d MB, %s, %s; **shared with other builds**: CPU per"
                + " process holds under load, requests/s and latencies do not. Load averages (1 / 5"
                + " / 15 min) are in the per-round table; %s%n",
            machine.cores(),
            machine.cpu(),
            machine.memoryMb(),
            machine.kernel(),
            machine.jdk(),
            finals.getOrDefault("load at end (1 / 5 / 15 min)", "?") + " at the end"));
    text.append("- command: `")
        .append(COMMAND.replace("full", settings.full() ? "full" : "quick"))
        .append(settings.jfr() ? " -Dbench.jfr=true" : "")
        .append(" -Dbench.label=")
        .append(settings.label())
        .append("`\n");
    text.append(
        String.format(
            Locale.ROOT,
            "- settings: warm-up %d s per target, %d interleaved round(s) of %d s closed loop"
                + " (%d in flight) then %d s open loop; %s; fake FCM latency %d ms; listener JVM"
                + " `%s`%s (production's collector and compiler, not the local run's C1)%n",
            settings.warmUp().toSeconds(),
            settings.rounds(),
            settings.closedRound().toSeconds(),
            settings.inFlight(),
            settings.openRound().toSeconds(),
            registering,
            settings.fcmLatency().toMillis(),
            String.join(" ", EndToEndBenchmark.LISTENER_JVM),
            settings.jfr() ? " plus JFR (`-XX:StartFlightRecording`, profile settings)" : ""));
    text.append(
        "- how: every part in its own process (dynalite, the push peer, the listener and the"
            + " registration service as `LocalStack` starts them, the trivial endpoint in its own"
            + " JVM, this load generator); CPU is utime+stime from `/proc/<pid>/stat` before and"
            + " after each round (resolution 10 ms), divided by the requests answered. Allocation"
            + " is the serving JVM's `jvm_gc_memory_allocated_bytes_total` delta (Micrometer,"
            + " updated at each young collection, so approximate per round); table calls are the"
            + " listener's `inboxpush_dynamodb_calls_total` delta by operation (the AWS SDK's"
            + " per-call metrics); JIT time is `jvm_compilation_time_ms_total` (the JVMs with an"
            + " Actuator), HotSpot's `java.ci.totalTime` (`jcmd PerfCounter.print`, the push peer)"
            + " or the compilation MXBean (the load generator). Latency: HdrHistogram, closed loop"
            + " from each send, open loop from each POST's due time (no coordinated omission)."
            + " Production-like (`cold`) targets POST to the registrations in a fixed shuffled"
            + " order, so that a registration comes round again only after all others: every"
            + " lookup misses the listener's 30 s cache while the rate stays below registrations /"
            + " 31 s (the last column counts the POSTs for which it did not). Each POST carries a"
            + " new-mail event and a higher unread count than the last, so each must push; a"
            + " delivery missing at the push peer fails the run.\n\n");
    text.append(table());
    text.append("\nAt the end of the run:\n\n| process | figure |\n|---|---|\n");
    new TreeMap<>(finals)
        .forEach((k, v) -> text.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    text.append("\nEvery round (warm-up included), so that a cold round shows itself:\n\n");
    text.append(perRound());
    if (profile != null) {
      text.append("\nListener profile (JFR):\n\n").append(profile);
    }
    text.append("<!-- /bench:").append(settings.label()).append(" -->\n");
    return text.toString();
  }

  /** Writes {@link #section} into {@code file}, replacing this label's earlier section. */
  Path write(Path file) {
    try {
      String existing =
          Files.exists(file)
              ? Files.readString(file, StandardCharsets.UTF_8)
              : "# Benchmarks\n\nWritten by the end-to-end benchmark (`"
                  + COMMAND
                  + " -Dbench.label=NAME`, README \"Benchmarks\"); each run writes its own section,"
                  + " named by its label.\n\n";
      String begin = "<!-- bench:" + settings.label() + " -->";
      String end = "<!-- /bench:" + settings.label() + " -->\n";
      int from = existing.indexOf(begin);
      int to = existing.indexOf(end);
      String updated =
          from >= 0 && to > from
              ? existing.substring(0, from) + section() + existing.substring(to + end.length())
              : existing + (existing.endsWith("\n\n") ? "" : "\n") + section();
      Files.writeString(file, updated, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private List<String> order() {
    List<String> keys = new ArrayList<>();
    for (Round round : rounds) {
      if (!keys.contains(round.target()) && targets.containsKey(round.target())) {
        keys.add(round.target());
      }
    }
    return keys;
  }

  private String label(String key) {
    return "`" + key + "` " + targets.get(key).label();
  }

  private List<Round> measured(String key) {
    List<Round> measured =
        rounds.stream().filter(r -> r.target().equals(key) && r.round() > 0).toList();
    return measured.isEmpty()
        ? rounds.stream().filter(r -> r.target().equals(key)).toList()
        : measured;
  }

  private double median(String key, ToDoubleFunction<Round> figure) {
    List<Round> measured = measured(key);
    return measured.isEmpty() ? Double.NaN : spread(measured, figure).median();
  }

  private static Spread spread(List<Round> rounds, ToDoubleFunction<Round> figure) {
    return new Spread(rounds.stream().mapToDouble(figure).toArray());
  }

  private static String medianCalls(List<Round> rounds) {
    Map<String, List<Double>> byOperation = new TreeMap<>();
    for (Round round : rounds) {
      round
          .callsPerRequest(EndToEndBenchmark.LISTENER)
          .forEach((op, v) -> byOperation.computeIfAbsent(op, k -> new ArrayList<>()).add(v));
    }
    Map<String, Double> medians = new TreeMap<>();
    double total = 0;
    for (Map.Entry<String, List<Double>> entry : byOperation.entrySet()) {
      // A round without a call of this operation counts as zero.
      List<Double> values = new ArrayList<>(entry.getValue());
      while (values.size() < rounds.size()) {
        values.add(0.0);
      }
      double median =
          new Spread(values.stream().mapToDouble(Double::doubleValue).toArray()).median();
      medians.put(entry.getKey(), median);
      total += median;
    }
    return medians.isEmpty() ? "0" : String.format(Locale.ROOT, "%.2f: ", total) + calls(medians);
  }

  private static String calls(Map<String, Double> calls) {
    return calls.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String shortName(String part) {
    return switch (part) {
      case EndToEndBenchmark.LISTENER -> "lis";
      case EndToEndBenchmark.DYNALITE -> "dyn";
      case EndToEndBenchmark.PUSH -> "push";
      case EndToEndBenchmark.TRIVIAL -> "triv";
      default -> "gen";
    };
  }
}
