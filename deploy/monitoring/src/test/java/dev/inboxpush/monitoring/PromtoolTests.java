package dev.inboxpush.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.monitoring.RuleFiles.AlertCase;
import dev.inboxpush.monitoring.RuleFiles.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus files checked by Prometheus's own tool: the configuration and the rules ({@code
 * promtool check}), and the rules' unit tests ({@code promtool test rules}), each alert with a case
 * that fires it and one that does not; and every alert explained in docs/runbook.md.
 */
@NeedsPrometheus
class PromtoolTests {

  private static final Path PROMETHEUS = MonitoringFiles.prometheus();

  @Test
  void theConfigurationAndItsRuleFilesAreValid() {
    PrometheusTools.Run run =
        PrometheusTools.promtool(PROMETHEUS, "check", "config", "prometheus.yml");
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).contains("SUCCESS");
  }

  @Test
  void theComposeStacksConfigurationLoadsTheSameRules(@TempDir Path folder) throws IOException {
    // docker-compose.yml mounts rules/ beside deploy/docker/prometheus/prometheus.yml.
    Path compose = MonitoringFiles.repository().resolve("deploy/docker/prometheus/prometheus.yml");
    Files.copy(compose, folder.resolve("prometheus.yml"));
    Files.createDirectories(folder.resolve("rules"));
    for (Path rules : RuleFiles.yamlFiles(PROMETHEUS.resolve("rules"))) {
      Files.copy(rules, folder.resolve("rules").resolve(rules.getFileName()));
    }
    PrometheusTools.Run run = PrometheusTools.promtool(folder, "check", "config", "prometheus.yml");
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).contains(RuleFiles.rules().size() + " rules found");
  }

  @Test
  void theRulesAreValid() {
    List<String> arguments = new ArrayList<>(List.of("check", "rules"));
    RuleFiles.yamlFiles(PROMETHEUS.resolve("rules")).forEach(f -> arguments.add(f.toString()));
    PrometheusTools.Run run =
        PrometheusTools.promtool(PROMETHEUS, arguments.toArray(String[]::new));
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).contains(RuleFiles.rules().size() + " rules found");
  }

  @Test
  void theRulesPassTheirUnitTests() {
    List<String> arguments = new ArrayList<>(List.of("test", "rules"));
    RuleFiles.yamlFiles(PROMETHEUS.resolve("tests")).forEach(f -> arguments.add(f.toString()));
    PrometheusTools.Run run =
        PrometheusTools.promtool(PROMETHEUS, arguments.toArray(String[]::new));
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void everyAlertHasACaseThatFiresItAndOneThatDoesNot() {
    Set<String> alerts = alertNames();
    List<AlertCase> cases = RuleFiles.alertCases();
    assertThat(alerts).hasSizeGreaterThan(10);
    // A case of a misspelt alert expects nothing and passes: every case must name a real alert.
    assertThat(cases).extracting(AlertCase::alertname).allMatch(alerts::contains);
    Set<String> firing =
        cases.stream()
            .filter(AlertCase::fires)
            .map(AlertCase::alertname)
            .collect(Collectors.toSet());
    Set<String> quiet =
        cases.stream()
            .filter(c -> !c.fires())
            .map(AlertCase::alertname)
            .collect(Collectors.toSet());
    assertThat(firing).as("alerts with a case that fires them").containsAll(alerts);
    assertThat(quiet).as("alerts with a case that does not fire them").containsAll(alerts);
  }

  @Test
  void everyAlertLinksItsOwnSectionOfTheRunbook() throws IOException {
    String runbook = Files.readString(MonitoringFiles.repository().resolve("docs/runbook.md"));
    for (Rule rule : RuleFiles.rules()) {
      if (!rule.alert()) {
        continue;
      }
      assertThat(rule.annotations())
          .as(rule.name())
          .containsEntry("runbook", "docs/runbook.md#" + rule.name().toLowerCase(Locale.ROOT))
          .containsKey("summary");
      assertThat(runbook).as("docs/runbook.md").contains("\n### " + rule.name() + "\n");
    }
  }

  @Test
  void promtoolFailsATestWhoseExpectationIsWrong(@TempDir Path folder) throws IOException {
    // The tests above can fail: the same rules, a case that wrongly expects silence.
    Files.createDirectories(folder.resolve("rules"));
    for (Path rules : RuleFiles.yamlFiles(PROMETHEUS.resolve("rules"))) {
      Files.copy(rules, folder.resolve("rules").resolve(rules.getFileName()));
    }
    Files.writeString(
        folder.resolve("wrong.yml"),
        """
        rule_files: [rules/inbox-push.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'inboxpush_listener_callbacks_total{answer="unavailable",reason="store_error",region="us-east-1"}'
                values: '0+50x20'
            alert_rule_test:
              - eval_time: 15m
                alertname: InboxPushCallbackErrors
                exp_alerts: []
        """);
    PrometheusTools.Run run = PrometheusTools.promtool(folder, "test", "rules", "wrong.yml");
    assertThat(run.code()).as(run.output()).isNotZero();
    assertThat(run.output()).contains("FAILED", "InboxPushCallbackErrors");
  }

  private static Set<String> alertNames() {
    return RuleFiles.rules().stream()
        .filter(Rule::alert)
        .map(Rule::name)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
