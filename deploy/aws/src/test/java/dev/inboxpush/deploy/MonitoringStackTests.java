package dev.inboxpush.deploy;

import static dev.inboxpush.deploy.Cfn.list;
import static dev.inboxpush.deploy.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awscdk.assertions.Template;

/**
 * The one Prometheus workspace of all regions: the rules it evaluates are deploy/monitoring's file
 * itself, its alerts go to an encrypted topic the alert manager may publish to, and the regions
 * find it by fixed names.
 */
class MonitoringStackTests {

  private static final Path RULES =
      Path.of("..", "monitoring", "prometheus", "rules", "inbox-push.yml");

  @Test
  void oneWorkspaceForAllRegionsInTheHomeRegion() {
    Template monitoring = Synthesized.monitoring();
    monitoring.resourceCountIs("AWS::APS::Workspace", 1);
    assertThat(Synthesized.app().templates.keySet())
        .containsExactly(
            "InboxPush-Global",
            "InboxPush-Monitoring",
            "InboxPush-us-east-1",
            "InboxPush-eu-west-1",
            "InboxPush-ap-southeast-1");
    Synthesized.global().resourceCountIs("AWS::APS::Workspace", 0);
    for (Region region : Region.values()) {
      Synthesized.region(region).resourceCountIs("AWS::APS::Workspace", 0);
    }
    // The previous release's parameter, kept for one release; no region stack reads it.
    Map<String, Object> legacy = Cfn.one(monitoring, "AWS::SSM::Parameter", "RemoteWriteUrl");
    assertThat(legacy).containsEntry("Name", MonitoringStack.LEGACY_REMOTE_WRITE_URL_PARAMETER);
  }

  /**
   * The remote-write URL reaches the regions as a cross-region reference: this stack exports it
   * (us-east-1's region stack imports it) and writes it, at deploy time, into each other region,
   * where that region's stack reads it.
   */
  @Test
  void theRemoteWriteUrlIsCopiedIntoEachOtherRegionAtDeployTime() {
    Template monitoring = Synthesized.monitoring();
    Map<String, Map<String, Object>> writers =
        Cfn.resources(monitoring, "Custom::CrossRegionExportWriter");
    assertThat(writers).hasSize(Region.values().length - 1);
    List<String> regions = new java.util.ArrayList<>();
    for (Map<String, Object> writer : writers.values()) {
      Map<String, Object> props = map(writer.get("WriterProps"));
      regions.add((String) props.get("region"));
      Map<String, Object> exports = map(props.get("exports"));
      assertThat(exports).hasSize(1);
      Map.Entry<String, Object> export = exports.entrySet().iterator().next();
      assertThat(export.getKey()).startsWith("/cdk/exports/InboxPush-" + props.get("region") + "/");
      // The endpoint; each region stack appends the path.
      assertThat(Cfn.text(export.getValue())).isEqualTo("${Prometheus.PrometheusEndpoint}");
    }
    assertThat(regions).containsExactlyInAnyOrder("eu-west-1", "ap-southeast-1");
  }

  /** The deployed rules cannot drift from the file promtool checks and tests. */
  @Test
  void theWorkspaceEvaluatesDeployMonitoringsRulesFileAsItIs() throws IOException {
    Map<String, Object> namespace =
        Cfn.one(Synthesized.monitoring(), "AWS::APS::RuleGroupsNamespace", "Rules");
    assertThat(namespace.get("Data")).isEqualTo(Files.readString(RULES));
    assertThat(Cfn.text(namespace.get("Workspace"))).isEqualTo("${Prometheus.Arn}");
  }

  @Test
  void everyAlertGoesToTheEncryptedTopicWhichTheAlertManagerMayPublishTo() {
    Template monitoring = Synthesized.monitoring();
    Map<String, Object> workspace = Cfn.one(monitoring, "AWS::APS::Workspace", "Prometheus");
    Map<String, Object> definition =
        new Yaml().load(Cfn.text(workspace.get("AlertManagerDefinition")));
    Map<String, Object> config = new Yaml().load((String) definition.get("alertmanager_config"));
    Map<String, Object> route = map(config.get("route"));
    assertThat(route).containsEntry("receiver", "sns").doesNotContainKey("routes");
    assertThat(list(route.get("group_by"))).containsExactly("alertname", "region");
    List<Object> receivers = list(config.get("receivers"));
    assertThat(receivers).hasSize(1);
    Map<String, Object> sns = map(list(map(receivers.get(0)).get("sns_configs")).get(0));

    String topic =
        Cfn.resources(monitoring, "AWS::SNS::Topic").keySet().stream()
            .filter(id -> id.startsWith("Alerts"))
            .findFirst()
            .orElseThrow();
    assertThat(sns.get("topic_arn")).isEqualTo("${" + topic + "}");
    assertThat(map(sns.get("sigv4"))).containsEntry("region", Region.HOME.code());
    assertThat(sns.get("subject").toString()).contains(".CommonLabels.severity");
    assertThat(Cfn.resources(monitoring, "AWS::SNS::Topic").get(topic))
        .containsKey("KmsMasterKeyId");

    Map<String, Object> policy = Cfn.one(monitoring, "AWS::SNS::TopicPolicy", "Alerts");
    Map<String, Object> publish =
        list(map(policy.get("PolicyDocument")).get("Statement")).stream()
            .map(Cfn::map)
            .filter(s -> "AlertManagerPublishes".equals(s.get("Sid")))
            .findFirst()
            .orElseThrow();
    assertThat(map(publish.get("Principal"))).containsEntry("Service", "aps.amazonaws.com");
    assertThat(list(publish.get("Action"))).contains("sns:Publish");
    assertThat(Cfn.text(map(map(publish.get("Condition")).get("ArnEquals")).get("aws:SourceArn")))
        .isEqualTo("${Prometheus.Arn}");

    Map<String, Object> key = Cfn.one(monitoring, "AWS::KMS::Key", "AlertKey");
    assertThat(key).containsEntry("EnableKeyRotation", true);
    assertThat(list(map(key.get("KeyPolicy")).get("Statement")))
        .anySatisfy(
            s -> {
              assertThat(map(map(s).get("Principal")))
                  .containsEntry("Service", "aps.amazonaws.com");
              assertThat(list(map(s).get("Action"))).contains("kms:GenerateDataKey*");
            });
  }

  /** The alert manager's subject names the severity: every alert of the file carries one. */
  @Test
  void everyAlertOfTheRulesHasASeverityToRouteOn() throws IOException {
    Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
    int alerts = 0;
    for (Object group : list(rules.get("groups"))) {
      for (Object r : list(map(group).get("rules"))) {
        Map<String, Object> rule = map(r);
        if (rule.containsKey("alert")) {
          alerts++;
          assertThat(map(rule.get("labels")).get("severity"))
              .as((String) rule.get("alert"))
              .isIn("page", "ticket");
        }
      }
    }
    assertThat(alerts).isGreaterThan(10);
  }
}
