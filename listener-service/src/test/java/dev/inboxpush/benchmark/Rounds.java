package dev.inboxpush.benchmark;

import java.util.Arrays;
import java.util.Locale;

/** What the dispatch benchmarks print: the machine, medians and their rounds. */
final class Rounds {

  private Rounds() {}

  /** One line about the machine the figures come from. */
  static String machine() {
    return String.format(
        Locale.ROOT,
        "machine: %d cores, %s %s, max heap %d MB",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The rounds as {@code 1,234 / 1,300 / ...}. */
  static String format(double[] values) {
    StringBuilder text = new StringBuilder();
    for (double value : values) {
      text.append(text.length() == 0 ? "" : " / ")
          .append(String.format(Locale.ROOT, "%,.0f", value));
    }
    return text.toString();
  }
}
