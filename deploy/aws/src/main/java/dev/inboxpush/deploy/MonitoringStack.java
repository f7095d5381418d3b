package dev.inboxpush.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.aps.CfnRuleGroupsNamespace;
import software.amazon.awscdk.services.aps.CfnWorkspace;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * Where production's Prometheus runs, in {@link Region#HOME}: one Amazon Managed Service for
 * Prometheus workspace that the collectors of all three regions remote-write to, the alert rules of
 * {@code deploy/monitoring} (the very file, read at synthesis) evaluated there, and its alert
 * manager publishing to an encrypted SNS topic.
 *
 * <p>One workspace, not one per region, because the rules need it: {@code InboxPushRegionDown}
 * tells a region that is gone from one that was never there by looking at all three, and {@code
 * InboxPushListenerSilent} compares a listener with its peers. The price is that monitoring lives
 * in one region: while us-east-1 itself is down no rule is evaluated and no alert is sent; the
 * other regions' CloudWatch alarms ({@link RegionStack}) still alarm through their own topics.
 *
 * <p>The region stacks get the remote-write URL ({@link #remoteWriteUrl()}) as a CDK cross-region
 * reference: deploying this stack writes the URL to an SSM parameter in each other region (a custom
 * resource, CDK's {@code ExportWriter}), and each region stack reads its own region's copy at
 * deploy time, so the URL is a plain value in the task definitions. A task start or a region's
 * deploy never needs us-east-1 (see {@link RegionStack}); only this stack's deploy writes to the
 * other regions. The strong reference also means the URL cannot change while a region uses it: the
 * workspace is not to be replaced. The permission to write has a fixed name instead, the customer
 * managed policy {@value #REMOTE_WRITE_POLICY} (IAM is global: nothing to copy), which grants
 * {@code aps:RemoteWrite} on this workspace alone.
 */
final class MonitoringStack extends Stack {

  /**
   * Where the previous release's task definitions read the URL at task start. Kept for one release
   * only: deploying this stack first (as an upgrade does) must not take it from tasks that still
   * run those task definitions. Remove it once every region runs this release.
   */
  static final String LEGACY_REMOTE_WRITE_URL_PARAMETER = "/inboxpush/prometheus/remote-write-url";

  static final String REMOTE_WRITE_POLICY = "inbox-push-prometheus-remote-write";

  /** deploy/monitoring/prometheus/rules/inbox-push.yml, copied onto the class path by the build. */
  static final String RULES_RESOURCE = "monitoring/inbox-push.yml";

  private final CfnWorkspace workspace;
  private final String remoteWriteUrl;

  MonitoringStack(Construct scope, String id) {
    super(
        scope,
        id,
        StackProps.builder()
            .env(Environment.builder().region(Region.HOME.code()).build())
            .description(
                "inbox-push: the Prometheus workspace of all regions, its rules and alerts")
            .crossRegionReferences(true)
            .build());

    Key key =
        Key.Builder.create(this, "AlertKey")
            .description("inbox-push alert topic")
            .enableKeyRotation(true)
            .build();
    // The alert manager publishes to the encrypted topic (no SourceArn condition: the workspace
    // names the topic, so naming the workspace here would be a circular reference).
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .principals(List.of(new ServicePrincipal("aps.amazonaws.com")))
            .actions(List.of("kms:GenerateDataKey*", "kms:Decrypt"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount())))
            .build());
    Topic alerts =
        Topic.Builder.create(this, "Alerts")
            .displayName("inbox-push alerts")
            .masterKey(key)
            .enforceSsl(true)
            .build();

    workspace =
        CfnWorkspace.Builder.create(this, "Prometheus")
            .alias("inbox-push")
            .alertManagerDefinition(alertManagerDefinition(alerts.getTopicArn()))
            .build();
    alerts.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("AlertManagerPublishes")
            .principals(List.of(new ServicePrincipal("aps.amazonaws.com")))
            .actions(List.of("sns:Publish", "sns:GetTopicAttributes"))
            .resources(List.of(alerts.getTopicArn()))
            .conditions(
                Map.of(
                    "ArnEquals", Map.of("aws:SourceArn", workspace.getAttrArn()),
                    "StringEquals", Map.of("aws:SourceAccount", getAccount())))
            .build());

    CfnRuleGroupsNamespace.Builder.create(this, "Rules")
        .workspace(workspace.getAttrArn())
        .name("inbox-push")
        .data(rules())
        .build();

    remoteWriteUrl = workspace.getAttrPrometheusEndpoint() + "api/v1/remote_write";
    StringParameter.Builder.create(this, "RemoteWriteUrl")
        .parameterName(LEGACY_REMOTE_WRITE_URL_PARAMETER)
        .description(
            "inbox-push: the remote-write URL for the previous release's tasks; unused now")
        .stringValue(remoteWriteUrl)
        .build();

    ManagedPolicy.Builder.create(this, "RemoteWrite")
        .managedPolicyName(REMOTE_WRITE_POLICY)
        .description("inbox-push collectors: remote write to the one Prometheus workspace")
        .statements(
            List.of(
                PolicyStatement.Builder.create()
                    .sid("PrometheusRemoteWrite")
                    .actions(List.of(ServiceAccess.PROMETHEUS_REMOTE_WRITE))
                    .resources(List.of(workspace.getAttrArn()))
                    .build()))
        .build();
  }

  CfnWorkspace workspace() {
    return workspace;
  }

  /**
   * Where every region's collectors remote-write (SigV4, us-east-1): a token that, used in another
   * stack, becomes a cross-region reference.
   */
  String remoteWriteUrl() {
    return remoteWriteUrl;
  }

  /** The rules file as deploy/monitoring has it (promtool checks and tests it there). */
  static String rules() {
    try (InputStream in = MonitoringStack.class.getResourceAsStream(RULES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RULES_RESOURCE + " is not on the class path: build deploy/aws with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every alert to the topic, grouped per alert and region; {@code severity} (page or ticket) goes
   * into the subject and a message attribute, for subscriptions to filter on.
   */
  static String alertManagerDefinition(String topicArn) {
    return String.join(
        "\n",
        "alertmanager_config: |",
        "  route:",
        "    receiver: sns",
        "    group_by: [alertname, region]",
        "    group_wait: 30s",
        "    group_interval: 5m",
        "    repeat_interval: 4h",
        "  receivers:",
        "    - name: sns",
        "      sns_configs:",
        "        - topic_arn: " + topicArn,
        "          sigv4:",
        "            region: " + Region.HOME.code(),
        "          subject: '[{{ .CommonLabels.severity }}] {{ .GroupLabels.alertname }}"
            + " {{ .GroupLabels.region }}'",
        "          attributes:",
        "            severity: '{{ .CommonLabels.severity }}'",
        "");
  }
}
