package dev.inboxpush.monitoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a PromQL query against a Prometheus that scraped the real services: it must parse ({@code
 * format_query}), evaluate without error ({@code query}), and every vector selector in it ({@link
 * PromqlSelectors}) must name a metric Prometheus stored (scraped, or recorded by a rule) and match
 * at least one series, so that a misspelt name or label value is caught; optionally the query
 * itself must return data. A few families cannot exist in the stack that was scraped (the local run
 * has no certificate-authenticated APNs app): they are named with the reason, and a selector of one
 * of them is accepted without series.
 *
 * <p>Not thread-safe: {@link #refresh} reloads the names between checks.
 */
final class QueryCheck {

  private final PrometheusApi api;
  private final Map<String, String> cannotExist;
  private final Set<String> names = new HashSet<>();

  /**
   * @param cannotExist metric names the scraped stack cannot have, each with why
   */
  QueryCheck(PrometheusApi api, Map<String, String> cannotExist) {
    this.api = api;
    this.cannotExist = Map.copyOf(cannotExist);
  }

  /** Reloads the stored metric names. */
  QueryCheck refresh() {
    JsonNode answer = api.metricNames();
    if (!PrometheusApi.success(answer)) {
      throw new IllegalStateException("cannot list the metric names: " + answer);
    }
    names.clear();
    answer.path("data").forEach(name -> names.add(name.asString()));
    return this;
  }

  /** The metric names Prometheus stored, as of the last {@link #refresh}. */
  Set<String> names() {
    return Set.copyOf(names);
  }

  /**
   * What is wrong with {@code query}; empty when nothing is.
   *
   * @param what names the query in the messages (a panel, an alert)
   * @param mustReturnData whether an empty result is a problem too (a dashboard panel)
   */
  List<String> problems(String what, String query, boolean mustReturnData) {
    List<String> problems = new ArrayList<>();
    String prefix = what + " (" + query.strip().replaceAll("\\s+", " ") + "): ";
    JsonNode formatted = api.formatQuery(query);
    if (!PrometheusApi.success(formatted)) {
      problems.add(prefix + "not valid PromQL: " + formatted.path("error").asString());
      return problems;
    }
    JsonNode result = api.query(query);
    if (!PrometheusApi.success(result)) {
      problems.add(prefix + "does not evaluate: " + result.path("error").asString());
      return problems;
    }
    List<PromqlSelectors.Selector> selectors =
        PromqlSelectors.of(formatted.path("data").asString());
    if (selectors.isEmpty()) {
      problems.add(prefix + "names no metric");
    }
    for (PromqlSelectors.Selector selector : selectors) {
      if (cannotExist.containsKey(selector.name())) {
        continue;
      }
      if (!selector.name().isEmpty() && !names.contains(selector.name())) {
        problems.add(
            prefix
                + "names "
                + selector.name()
                + ", which Prometheus neither scraped nor recorded");
        continue;
      }
      JsonNode series = api.series(selector.text());
      if (!PrometheusApi.success(series) || series.path("data").isEmpty()) {
        problems.add(prefix + "no series matches " + selector.text());
      }
    }
    boolean allowedEmpty =
        selectors.stream().anyMatch(selector -> cannotExist.containsKey(selector.name()));
    if (problems.isEmpty()
        && mustReturnData
        && !allowedEmpty
        && result.path("data").path("result").isEmpty()) {
      problems.add(prefix + "returns no data");
    }
    return problems;
  }
}
