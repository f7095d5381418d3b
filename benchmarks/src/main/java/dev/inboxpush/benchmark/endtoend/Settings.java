package dev.inboxpush.benchmark.endtoend;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The end-to-end benchmark's options, from system properties ({@code -Dbench.*}, which the Maven
 * profile passes on). Validated when read: a bad value is an {@link IllegalArgumentException}
 * naming the property.
 *
 * @param full full mode (the recorded figures): long warm-up, several rounds; else quick mode, for
 *     iteration
 * @param warmUp per target, before the rounds ({@code bench.e2e.warmup}; full 120, quick 10)
 * @param rounds interleaved rounds ({@code bench.e2e.rounds}; full 3, quick 1)
 * @param closedRound one closed-loop round ({@code bench.e2e.seconds}; full 10, quick 5)
 * @param openRound one open-loop round (twice the closed round)
 * @param inFlight POSTs in flight in the closed loop ({@code bench.inFlight}, 32)
 * @param apnsRegistrations APNs registrations ({@code bench.e2e.registrations}, 10,000)
 * @param fcmRegistrations FCM registrations ({@code bench.e2e.registrations.fcm}, 3,000)
 * @param warmSet registrations the warm-cache target cycles through ({@code bench.e2e.warmSet},
 *     1,000)
 * @param fcmLatency the fake FCM's answer delay ({@code bench.fcm.latency} ms, 50)
 * @param jfr record a JFR profile of the listener, started with its JVM ({@code bench.jfr})
 * @param label the section of BENCHMARKS.md this run writes ({@code bench.label}, e.g. before)
 * @param repository the checkout ({@code bench.repository})
 */
record Settings(
    boolean full,
    Duration warmUp,
    int rounds,
    Duration closedRound,
    Duration openRound,
    int inFlight,
    int apnsRegistrations,
    int fcmRegistrations,
    int warmSet,
    Duration fcmLatency,
    boolean jfr,
    String label,
    Path repository) {

  static Settings fromSystemProperties() {
    String mode = System.getProperty("bench.mode", "quick");
    if (!mode.equals("quick") && !mode.equals("full")) {
      throw new IllegalArgumentException("bench.mode: quick or full, was " + mode);
    }
    boolean full = mode.equals("full");
    int seconds = positive("bench.e2e.seconds", full ? 10 : 5);
    String label = System.getProperty("bench.label", "latest");
    if (!label.matches("[a-z0-9-]{1,40}")) {
      throw new IllegalArgumentException(
          "bench.label: lower-case letters, digits, -; was " + label);
    }
    return new Settings(
        full,
        Duration.ofSeconds(positive("bench.e2e.warmup", full ? 120 : 10)),
        positive("bench.e2e.rounds", full ? 3 : 1),
        Duration.ofSeconds(seconds),
        Duration.ofSeconds(2L * seconds),
        positive("bench.inFlight", 32),
        positive("bench.e2e.registrations", 10_000),
        positive("bench.e2e.registrations.fcm", 3_000),
        positive("bench.e2e.warmSet", 1_000),
        Duration.ofMillis(positive("bench.fcm.latency", 50)),
        Boolean.parseBoolean(System.getProperty("bench.jfr", "false")),
        label,
        Path.of(System.getProperty("bench.repository", "..")).toAbsolutePath().normalize());
  }

  private static int positive(String property, int fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < 1) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(property + ": a positive whole number, was " + value, e);
    }
  }
}
