package dev.inboxpush.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * What the runbook's point-in-time restore rests on: the table can leave {@code InboxPush-Global}
 * without anything else changing, a restored table's name keeps the logical id (so {@code cdk
 * import} adopts it where the old one was), and the services follow {@code tableName}.
 */
class TableRestoreTests {

  private static final String RESTORED = "inboxpush-restored-20261101";

  private static Map<String, Template> synthesize(Map<String, Object> extra) {
    Map<String, Object> context = new HashMap<>();
    context.put("domain", "push.example.net");
    context.put("hostedZoneId", "Z0123456789ABCDEFGHIJ");
    context.put("issuerUri", "https://login.example.net");
    context.put("imageTag", "0.1.0-abc1234");
    context.putAll(extra);
    App app = new App(AppProps.builder().context(context).build());
    Map<String, Template> templates = new HashMap<>();
    for (Stack stack : InboxPushApp.define(app, Deployment.fromContext(app.getNode()))) {
      templates.put(stack.getStackName(), Template.fromStack(stack));
    }
    return templates;
  }

  private static Map<String, Map<String, Object>> resources(Template template) {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources =
        (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
    return resources;
  }

  @Test
  void aRestoredTablesNameKeepsTheLogicalIdAndTheServicesFollowIt() {
    Map<String, Template> before = synthesize(Map.of());
    Map<String, Template> after = synthesize(Map.of("tableName", RESTORED));
    String table =
        Cfn.resources(before.get("InboxPush-Global"), "AWS::DynamoDB::GlobalTable")
            .keySet()
            .stream()
            .findFirst()
            .orElseThrow();
    assertThat(Cfn.resources(after.get("InboxPush-Global"), "AWS::DynamoDB::GlobalTable").keySet())
        .containsExactly(table);
    assertThat(
            Cfn.resources(after.get("InboxPush-Global"), "AWS::DynamoDB::GlobalTable")
                .get(table)
                .get("TableName"))
        .isEqualTo(RESTORED);
    Template region = after.get("InboxPush-eu-west-1");
    assertThat(region.toJSON().toString())
        .contains("INBOXPUSH_DYNAMODB_TABLE_NAME")
        .contains(":table/" + RESTORED)
        .doesNotContain(":table/inboxpush\"")
        .doesNotContain(":table/inboxpush/");
  }

  /** Step one of bringing a restored table under the stack: only the table leaves the template. */
  @Test
  void detachingTheTableLeavesEverythingElseAsItWas() {
    Map<String, Map<String, Object>> global =
        resources(synthesize(Map.of()).get("InboxPush-Global"));
    Map<String, Map<String, Object>> detached =
        resources(
            synthesize(Map.of("tableName", RESTORED, "tableDetached", "true"))
                .get("InboxPush-Global"));
    Map<String, Map<String, Object>> withoutTable = new HashMap<>(global);
    withoutTable.entrySet().removeIf(e -> e.getKey().startsWith("Table"));
    assertThat(global).hasSize(withoutTable.size() + 1);
    assertThat(detached).isEqualTo(withoutTable);
    // The table it forgets is retained: CloudFormation leaves it as it is.
    Map<String, Object> table =
        global.entrySet().stream()
            .filter(e -> e.getKey().startsWith("Table"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(table)
        .containsEntry("DeletionPolicy", "Retain")
        .containsEntry("UpdateReplacePolicy", "Retain");
  }

  @Test
  void tableDetachedIsTrueOrFalse() {
    assertThat(synthesize(Map.of("tableDetached", "false")).get("InboxPush-Global"))
        .satisfies(t -> t.resourceCountIs("AWS::DynamoDB::GlobalTable", 1));
    assertThatThrownBy(() -> synthesize(Map.of("tableDetached", "yes")))
        .hasMessageContaining("context tableDetached: true or false");
    assertThat(List.of(Synthesized.DEPLOYMENT.tableDetached())).containsExactly(false);
  }
}
