package dev.inboxpush.benchmark.endtoend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus text exposition ({@code /actuator/prometheus}): the samples by metric
 * name and labels. Immutable once parsed; only what the benchmark reads (counters and gauges, no
 * exemplars).
 */
final class Prometheus {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Per metric name, per its labels (sorted, {@code a=b,c=d}), the value. */
  private final Map<String, Map<Map<String, String>, Double>> samples;

  private Prometheus(Map<String, Map<Map<String, String>, Double>> samples) {
    this.samples = samples;
  }

  static Prometheus parse(String text) {
    Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line.trim());
      if (!sample.matches()) {
        throw new IllegalArgumentException("not a Prometheus sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples
          .computeIfAbsent(sample.group(1), name -> new LinkedHashMap<>())
          .put(labels, Double.parseDouble(sample.group(4)));
    }
    return new Prometheus(samples);
  }

  /** The sum of {@code name}'s samples whose labels include {@code match}; 0 when none. */
  double sum(String name, Map<String, String> match) {
    return samples.getOrDefault(name, Map.of()).entrySet().stream()
        .filter(e -> e.getKey().entrySet().containsAll(match.entrySet()))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  double sum(String name) {
    return sum(name, Map.of());
  }

  /** {@code name}'s samples summed per value of {@code label}, sorted by that value. */
  Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> sums = new TreeMap<>();
    samples
        .getOrDefault(name, Map.of())
        .forEach(
            (labels, value) -> {
              String key = labels.get(label);
              if (key != null) {
                sums.merge(key, value, Double::sum);
              }
            });
    return sums;
  }
}
