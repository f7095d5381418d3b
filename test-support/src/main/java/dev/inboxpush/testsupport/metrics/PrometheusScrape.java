package dev.inboxpush.testsupport.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A scrape in the Prometheus text format (as {@code /actuator/prometheus} serves it), as families:
 * each {@code # TYPE} line opens one, and every sample line after it that is the family's name or
 * the name plus a histogram's or summary's suffix ({@code _bucket}, {@code _count}, {@code _sum},
 * {@code _created}) or a counter's {@code _total} belongs to it. Immutable once parsed.
 */
public final class PrometheusScrape {

  /** One sample line: its metric name, labels in order, and value as written. */
  public record Sample(String name, Map<String, String> labels, String value) {}

  /** One family: the name and type of its {@code # TYPE} line, and its samples. */
  public record Family(String name, String type, List<Sample> samples) {}

  private static final List<String> SUFFIXES =
      List.of("", "_total", "_bucket", "_count", "_sum", "_created", "_gcount", "_gsum");

  private final Map<String, Family> families;

  private PrometheusScrape(Map<String, Family> families) {
    this.families = families;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the line of a sample outside any family, or one that is
   *     not a sample
   */
  public static PrometheusScrape parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("# HELP") || line.equals("# EOF")) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).trim().split("\\s+");
        current = parts[0];
        types.put(current, parts.length > 1 ? parts[1] : "untyped");
        samples.putIfAbsent(current, new ArrayList<>());
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Sample sample = sample(line, i + 1);
      String family = familyOf(sample.name(), current, types);
      if (family == null) {
        throw new IllegalArgumentException(
            "scrape line " + (i + 1) + ": " + sample.name() + " belongs to no # TYPE line");
      }
      samples.get(family).add(sample);
    }
    Map<String, Family> families = new LinkedHashMap<>();
    types.forEach(
        (name, type) -> families.put(name, new Family(name, type, List.copyOf(samples.get(name)))));
    return new PrometheusScrape(families);
  }

  private static @Nullable String familyOf(
      String sample, @Nullable String current, Map<String, String> types) {
    if (current != null && belongs(sample, current)) {
      return current;
    }
    for (String family : types.keySet()) {
      if (belongs(sample, family)) {
        return family;
      }
    }
    return null;
  }

  private static boolean belongs(String sample, String family) {
    for (String suffix : SUFFIXES) {
      if (sample.equals(family + suffix)) {
        return true;
      }
    }
    return false;
  }

  private static Sample sample(String line, int number) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || (space >= 0 && space < brace)) {
      if (space < 0) {
        throw new IllegalArgumentException("scrape line " + number + ": not a sample: " + line);
      }
      return new Sample(line.substring(0, space), Map.of(), line.substring(space + 1).trim());
    }
    String name = line.substring(0, brace);
    Map<String, String> labels = new LinkedHashMap<>();
    int i = brace + 1;
    while (true) {
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
      if (i >= line.length()) {
        throw new IllegalArgumentException("scrape line " + number + ": unclosed labels");
      }
      if (line.charAt(i) == '}') {
        i++;
        break;
      }
      int equals = line.indexOf('=', i);
      if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
        throw new IllegalArgumentException("scrape line " + number + ": bad label at " + i);
      }
      String key = line.substring(i, equals).trim();
      StringBuilder value = new StringBuilder();
      int j = equals + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      if (j >= line.length()) {
        throw new IllegalArgumentException("scrape line " + number + ": unclosed label value");
      }
      labels.put(key, value.toString());
      i = j + 1;
    }
    return new Sample(name, labels, line.substring(i).trim());
  }

  /** The families by name, in scrape order. */
  public Map<String, Family> families() {
    return families;
  }

  /** The family {@code name}, or {@code null}. */
  public @Nullable Family family(String name) {
    return families.get(name);
  }
}
