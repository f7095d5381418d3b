package dev.inboxpush.testsupport.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of {@code docs/metrics.md}. The catalogue's conventions, which this class reads:
 *
 * <ul>
 *   <li>A section {@code ## Both services}, {@code ## Registration service} or {@code ## Listener
 *       service} says whose rows follow (its {@code ###} subsections included); rows under any
 *       other {@code ##} heading are not part of the catalogue.
 *   <li>A catalogue table's header row starts with {@code | Prometheus name |}; its columns are
 *       name, type, tags, unit and meaning.
 *   <li>The name cell holds the family name in back-ticks, as in the scrape's {@code # TYPE} line.
 *   <li>The type cell starts with {@code counter}, {@code gauge}, {@code histogram} or {@code
 *       summary}; a timer's row whose type cell also names {@code _max} covers its {@code
 *       <name>_max} gauge too; a type cell that says {@code optional} marks a family that exists
 *       only after an event outside the service's control (a kind of garbage collection), which a
 *       scrape may lack.
 *   <li>The tags cell names each tag in bold ({@code **reason**: ...}); the common tags {@code
 *       service} and {@code region} are not repeated.
 * </ul>
 *
 * Immutable once parsed.
 */
public final class MetricsCatalogue {

  /** The service names, as in the common tag {@code service}. */
  public static final String LISTENER = "listener";

  public static final String REGISTRATION = "registration";

  private static final Map<String, Set<String>> SECTIONS =
      Map.of(
          "both services", Set.of(LISTENER, REGISTRATION),
          "registration service", Set.of(REGISTRATION),
          "listener service", Set.of(LISTENER));

  private static final Pattern NAME = Pattern.compile("^`([a-zA-Z_:][a-zA-Z0-9_:]*)`$");
  private static final Pattern TAG = Pattern.compile("\\*\\*([a-zA-Z_][a-zA-Z0-9_]*)\\*\\*");
  private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary");

  /**
   * One catalogued family.
   *
   * @param line where the row is, for messages
   * @param coversMax whether the row covers its timer's {@code _max} gauge as well
   * @param optional whether a scrape may lack the family
   */
  public record Entry(
      String name,
      String type,
      boolean coversMax,
      boolean optional,
      Set<String> tags,
      Set<String> services,
      int line) {

    /** The family names this row stands for in a scrape: its own, and {@code _max} if covered. */
    public List<String> families() {
      return coversMax ? List.of(name, name + "_max") : List.of(name);
    }
  }

  private final List<Entry> entries;

  private MetricsCatalogue(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads the catalogue.
   *
   * @throws IllegalArgumentException naming the line of a row that breaks the conventions above
   */
  public static MetricsCatalogue read(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the metrics catalogue " + file, e);
    }
  }

  /** Parses the catalogue's lines; see {@link #read}. */
  public static MetricsCatalogue parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    Set<String> services = null;
    boolean inTable = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      int number = i + 1;
      if (line.startsWith("## ")) {
        services = SECTIONS.get(line.substring(3).trim().toLowerCase(Locale.ROOT));
        inTable = false;
        continue;
      }
      if (!line.startsWith("|")) {
        inTable = false;
        continue;
      }
      List<String> cells = cells(line);
      if (cells.get(0).equalsIgnoreCase("Prometheus name")) {
        inTable = services != null;
        continue;
      }
      if (!inTable || cells.get(0).startsWith("---")) {
        continue;
      }
      entries.add(entry(cells, services, number));
    }
    return new MetricsCatalogue(entries);
  }

  private static Entry entry(List<String> cells, Set<String> services, int line) {
    if (cells.size() != 5) {
      throw new IllegalArgumentException(
          "docs/metrics.md:" + line + ": a catalogue row has 5 cells, this one " + cells.size());
    }
    Matcher name = NAME.matcher(cells.get(0));
    if (!name.matches()) {
      throw new IllegalArgumentException(
          "docs/metrics.md:" + line + ": the name cell must be one name in back-ticks");
    }
    String typeCell = cells.get(1);
    String type = typeCell.split("[\\s,;+(]", 2)[0].toLowerCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "docs/metrics.md:" + line + ": the type must start with one of " + TYPES);
    }
    Set<String> tags = new LinkedHashSet<>();
    Matcher tag = TAG.matcher(cells.get(2));
    while (tag.find()) {
      tags.add(tag.group(1));
    }
    return new Entry(
        name.group(1),
        type,
        typeCell.contains("_max"),
        typeCell.contains("optional"),
        tags,
        services,
        line);
  }

  /** A table row's cells, trimmed; {@code \|} inside a cell is not a separator. */
  private static List<String> cells(String row) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        cells.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString().trim());
    return cells;
  }

  /** Every row. */
  public List<Entry> entries() {
    return entries;
  }

  /** The rows of {@code service} ({@link #LISTENER} or {@link #REGISTRATION}). */
  public List<Entry> forService(String service) {
    return entries.stream().filter(entry -> entry.services().contains(service)).toList();
  }
}
