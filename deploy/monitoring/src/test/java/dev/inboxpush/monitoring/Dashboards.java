package dev.inboxpush.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboards (grafana/dashboards/*.json), read for their queries: every panel's targets
 * (rows' nested panels included) and every query variable's {@code label_values(metric, label)}.
 * {@link #substitute} replaces the variables Grafana would before a query reaches Prometheus.
 */
final class Dashboards {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  private Dashboards() {}

  /**
   * One panel query.
   *
   * @param dashboard the dashboard's file name
   * @param panel the panel's title
   * @param expr the query as written, variables included
   */
  record PanelQuery(String dashboard, String panel, String expr) {

    String what() {
      return dashboard + " \"" + panel + "\"";
    }
  }

  /**
   * One query variable, as {@code label_values(metric, label)}.
   *
   * @param dashboard the dashboard's file name
   * @param name the variable's name
   * @param metric the series selector whose label values it offers
   * @param label the label
   */
  record Variable(String dashboard, String name, String metric, String label) {}

  /** The dashboard files, sorted. */
  static List<Path> files() {
    try (Stream<Path> files = Files.list(MonitoringFiles.grafana().resolve("dashboards"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every panel, rows' nested panels included, of {@code dashboard}. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** Every panel query of every dashboard. */
  static List<PanelQuery> panelQueries() {
    List<PanelQuery> queries = new ArrayList<>();
    for (Path file : files()) {
      for (JsonNode panel : panels(read(file))) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(
              new PanelQuery(
                  file.getFileName().toString(),
                  panel.path("title").asString(),
                  target.path("expr").asString()));
        }
      }
    }
    return queries;
  }

  /** Every query variable of every dashboard. */
  static List<Variable> variables() {
    List<Variable> variables = new ArrayList<>();
    for (Path file : files()) {
      for (JsonNode variable : read(file).path("templating").path("list")) {
        if (!"query".equals(variable.path("type").asString())) {
          continue;
        }
        JsonNode query = variable.path("query");
        String text = query.isObject() ? query.path("query").asString() : query.asString();
        Matcher matcher = LABEL_VALUES.matcher(text);
        if (!matcher.matches()) {
          throw new IllegalArgumentException(
              file
                  + ": variable "
                  + variable.path("name").asString()
                  + " is not label_values(...)");
        }
        variables.add(
            new Variable(
                file.getFileName().toString(),
                variable.path("name").asString(),
                matcher.group(1),
                matcher.group(2)));
      }
    }
    return variables;
  }

  /**
   * {@code expr} with Grafana's variables replaced: {@code $__rate_interval}, {@code $__interval},
   * {@code $__range} by the durations given, any other {@code $name} or {@code ${name}} by {@code
   * values}.
   *
   * @throws IllegalArgumentException naming a variable that has no value
   */
  static String substitute(String expr, Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    Matcher matcher = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = all.get(matcher.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for $" + matcher.group(1) + " in " + expr);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
