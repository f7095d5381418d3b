package dev.inboxpush.testsupport.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether one service's scrape and its rows of the catalogue agree: every published family is
 * catalogued, every catalogued family is published (unless its row says it is optional), with the
 * catalogued type, and every series carries exactly its row's tags plus the common ones (a
 * histogram's {@code le} and a summary's {@code quantile} aside). Stateless.
 */
public final class CatalogueCheck {

  /** The tags every series carries (application.yml, {@code management.metrics.tags}). */
  public static final Set<String> COMMON_TAGS = Set.of("service", "region");

  private static final Set<String> SHAPE_LABELS = Set.of("le", "quantile");

  private CatalogueCheck() {}

  /**
   * Every disagreement, one line each, grouped by kind; empty when they agree.
   *
   * @param service {@link MetricsCatalogue#LISTENER} or {@link MetricsCatalogue#REGISTRATION}
   */
  public static List<String> problems(
      MetricsCatalogue catalogue, String service, PrometheusScrape scrape) {
    Map<String, MetricsCatalogue.Entry> catalogued = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (MetricsCatalogue.Entry entry : catalogue.forService(service)) {
      for (String family : entry.families()) {
        MetricsCatalogue.Entry before = catalogued.put(family, entry);
        if (before != null) {
          duplicates.add(
              family + " (docs/metrics.md:" + before.line() + " and :" + entry.line() + ")");
        }
      }
    }
    List<String> uncatalogued = new ArrayList<>();
    List<String> unpublished = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (PrometheusScrape.Family family : scrape.families().values()) {
      MetricsCatalogue.Entry entry = catalogued.get(family.name());
      if (entry == null) {
        uncatalogued.add(family.name() + " (" + family.type() + ", labels " + labels(family) + ")");
        continue;
      }
      String expectedType = family.name().equals(entry.name()) ? entry.type() : "gauge";
      if (!expectedType.equals(family.type())) {
        types.add(
            family.name()
                + ": catalogued as "
                + expectedType
                + " (docs/metrics.md:"
                + entry.line()
                + "), published as "
                + family.type());
      }
      Set<String> expected = new TreeSet<>(entry.tags());
      expected.addAll(COMMON_TAGS);
      for (Set<String> found : labelSets(family)) {
        if (!found.equals(expected)) {
          tags.add(
              family.name()
                  + ": a series has labels "
                  + found
                  + ", the catalogue (docs/metrics.md:"
                  + entry.line()
                  + ") says "
                  + expected);
        }
      }
    }
    for (Map.Entry<String, MetricsCatalogue.Entry> entry : catalogued.entrySet()) {
      if (scrape.family(entry.getKey()) == null && !entry.getValue().optional()) {
        unpublished.add(entry.getKey() + " (docs/metrics.md:" + entry.getValue().line() + ")");
      }
    }
    List<String> problems = new ArrayList<>();
    section(
        problems,
        "published by the " + service + " service but not in docs/metrics.md",
        uncatalogued);
    section(
        problems,
        "in docs/metrics.md for the " + service + " service but not in its scrape",
        unpublished);
    section(problems, "catalogued twice for the " + service + " service", duplicates);
    section(problems, "of another type than catalogued", types);
    section(problems, "with other labels than catalogued", tags);
    return problems;
  }

  /**
   * Fails with every disagreement; see {@link #problems}.
   *
   * @throws AssertionError listing what is missing where
   */
  public static void assertAgree(
      MetricsCatalogue catalogue, String service, PrometheusScrape scrape) {
    List<String> problems = problems(catalogue, service, scrape);
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "docs/metrics.md and the "
              + service
              + " service's scrape disagree:\n"
              + String.join("\n", problems));
    }
  }

  private static void section(List<String> problems, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    problems.add(title + ":");
    lines.forEach(line -> problems.add("  " + line));
  }

  /** The distinct label-name sets of a family's series, shape labels aside. */
  private static Set<Set<String>> labelSets(PrometheusScrape.Family family) {
    Set<Set<String>> sets = new LinkedHashSet<>();
    for (PrometheusScrape.Sample sample : family.samples()) {
      Set<String> names = new TreeSet<>(sample.labels().keySet());
      names.removeAll(SHAPE_LABELS);
      sets.add(names);
    }
    return sets;
  }

  private static String labels(PrometheusScrape.Family family) {
    Set<String> all = new TreeSet<>();
    labelSets(family).forEach(all::addAll);
    all.removeAll(COMMON_TAGS);
    return all.toString();
  }
}
