package dev.inboxpush.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What Grafana needs of the dashboards and their provisioning, short of a Grafana (none installs
 * here): unique uids, every panel with a query on the provisioned data source, known variables. The
 * queries themselves are checked against a real Prometheus by {@code MonitoringIT}.
 */
class DashboardsTests {

  private static final String DATASOURCE_UID = "inbox-push-prometheus";

  @Test
  void oneDashboardPerServiceAndTheRegionsOverview() {
    assertThat(Dashboards.files())
        .extracting(f -> f.getFileName().toString())
        .containsExactly("listener.json", "overview.json", "registration.json");
  }

  @Test
  void everyPanelQueriesTheProvisionedPrometheus() {
    assertThat(RuleFiles.load(datasources()).toString()).contains("uid=" + DATASOURCE_UID);
    Set<String> uids = new HashSet<>();
    for (Path file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      assertThat(uids.add(dashboard.path("uid").asString())).as(file + " uid").isTrue();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Dashboards.panels(dashboard)) {
        String title = file.getFileName() + " \"" + panel.path("title").asString() + "\"";
        assertThat(ids.add(panel.path("id").asInt())).as(title + " id").isTrue();
        if ("row".equals(panel.path("type").asString())) {
          continue;
        }
        assertThat(panel.path("targets")).as(title).isNotEmpty();
        assertThat(panel.path("datasource").path("uid").asString())
            .as(title)
            .isEqualTo(DATASOURCE_UID);
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asString()).as(title).isNotBlank();
          assertThat(target.path("datasource").path("uid").asString())
              .as(title)
              .isEqualTo(DATASOURCE_UID);
        }
      }
    }
  }

  @Test
  void everyVariableIsARegionPickerOverLabelValues() {
    List<Dashboards.Variable> variables = Dashboards.variables();
    assertThat(variables).hasSize(Dashboards.files().size());
    assertThat(variables).allSatisfy(v -> assertThat(v.label()).isEqualTo("region"));
  }

  @Test
  void variablesAreSubstitutedAndAnUnknownOneIsAnError() {
    assertThat(
            Dashboards.substitute(
                "rate(x{region=~\"$region\"}[$__rate_interval]) / ${region}",
                Map.of("region", "us-east-1", "__rate_interval", "1m")))
        .isEqualTo("rate(x{region=~\"us-east-1\"}[1m]) / us-east-1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Dashboards.substitute("x[$__range]", Map.of()))
        .withMessageContaining("$__range");
  }

  private static Path datasources() {
    return MonitoringFiles.grafana().resolve("provisioning/datasources/prometheus.yml");
  }
}
