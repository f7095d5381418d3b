package dev.inboxpush.monitoring;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The rule files and promtool's test files, read as YAML. */
final class RuleFiles {

  private RuleFiles() {}

  /**
   * One rule of a rule file.
   *
   * @param name the alert's or the recorded series' name
   * @param alert whether it is an alert (else a recording rule)
   * @param expr its PromQL
   * @param annotations an alert's annotations (empty for a recording rule)
   */
  record Rule(String name, boolean alert, String expr, Map<String, String> annotations) {}

  /**
   * One {@code alert_rule_test} of a test file.
   *
   * @param test the test's name
   * @param alertname the alert it checks
   * @param fires whether it expects the alert to fire (exp_alerts not empty)
   */
  record AlertCase(String test, String alertname, boolean fires) {}

  /** The YAML files directly in {@code folder}, sorted. */
  static List<Path> yamlFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  /** Every rule of the rule files in prometheus/rules. */
  static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (Path file : yamlFiles(MonitoringFiles.prometheus().resolve("rules"))) {
      for (Map<String, Object> group : maps(load(file).get("groups"))) {
        for (Map<String, Object> rule : maps(group.get("rules"))) {
          boolean alert = rule.containsKey("alert");
          Map<String, String> annotations = new LinkedHashMap<>();
          if (rule.get("annotations") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> annotations.put(String.valueOf(k), String.valueOf(v)));
          }
          rules.add(
              new Rule(
                  String.valueOf(alert ? rule.get("alert") : rule.get("record")),
                  alert,
                  String.valueOf(rule.get("expr")),
                  annotations));
        }
      }
    }
    return rules;
  }

  /** Every alert_rule_test of the test files in prometheus/tests. */
  static List<AlertCase> alertCases() {
    List<AlertCase> cases = new ArrayList<>();
    for (Path file : yamlFiles(MonitoringFiles.prometheus().resolve("tests"))) {
      for (Map<String, Object> test : maps(load(file).get("tests"))) {
        for (Map<String, Object> check : maps(test.get("alert_rule_test"))) {
          boolean fires = check.get("exp_alerts") instanceof List<?> list && !list.isEmpty();
          cases.add(
              new AlertCase(
                  String.valueOf(test.get("name")), String.valueOf(check.get("alertname")), fires));
        }
      }
    }
    return cases;
  }

  static Map<String, Object> load(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      if (!(document instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(file + " is not a YAML mapping");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) document;
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object list) {
    if (list == null) {
      return List.of();
    }
    if (!(list instanceof List<?> items)) {
      throw new IllegalArgumentException("expected a list, got " + list);
    }
    return items.stream().map(item -> (Map<String, Object>) item).toList();
  }
}
