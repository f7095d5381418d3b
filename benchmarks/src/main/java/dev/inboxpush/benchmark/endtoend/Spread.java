package dev.inboxpush.benchmark.endtoend;

import java.util.Arrays;
import java.util.Locale;

/**
 * The rounds of one figure: their median and range. Immutable.
 *
 * @param values one value per round, in round order
 */
record Spread(double[] values) {

  Spread {
    if (values.length == 0) {
      throw new IllegalArgumentException("a figure needs at least one round");
    }
    values = values.clone();
  }

  /** The middle value; for an even count, the mean of the two middle ones. */
  double median() {
    double[] sorted = sorted();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  double min() {
    return sorted()[0];
  }

  double max() {
    return sorted()[values.length - 1];
  }

  /**
   * {@code median (min–max)} with {@code pattern} for each number (e.g. {@code %,.0f}); one round
   * is its value alone.
   */
  String format(String pattern) {
    String median = String.format(Locale.ROOT, pattern, median());
    if (values.length == 1) {
      return median;
    }
    return median
        + " ("
        + String.format(Locale.ROOT, pattern, min())
        + "–"
        + String.format(Locale.ROOT, pattern, max())
        + ")";
  }

  /** Every round's value, {@code a / b / c}. */
  String rounds(String pattern) {
    StringBuilder text = new StringBuilder();
    for (double value : values) {
      text.append(text.length() == 0 ? "" : " / ")
          .append(String.format(Locale.ROOT, pattern, value));
    }
    return text.toString();
  }

  private double[] sorted() {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted;
  }
}
