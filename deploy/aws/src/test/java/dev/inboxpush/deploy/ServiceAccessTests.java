package dev.inboxpush.deploy;

import static dev.inboxpush.deploy.Cfn.list;
import static dev.inboxpush.deploy.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.dynamo.StoreKeys;
import dev.inboxpush.store.dynamo.TableLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each service's task role, statement by statement, in every region: exactly these actions on
 * exactly these resources, and the same actions as README.md's IAM table lists.
 */
class ServiceAccessTests {

  /** sid → "actions on resources", from the task role's policy. */
  private static Map<String, String> statements(Region region, String service) {
    Map<String, Object> policy =
        Cfn.one(
            Synthesized.region(region), "AWS::IAM::Policy", service + "TaskTaskRoleDefaultPolicy");
    Map<String, String> statements = new TreeMap<>();
    for (Object s : list(map(policy.get("PolicyDocument")).get("Statement"))) {
      Map<String, Object> statement = map(s);
      assertThat(statement.get("Effect")).isEqualTo("Allow");
      assertThat(statement).doesNotContainKey("NotAction").doesNotContainKey("NotResource");
      statements.put(
          (String) statement.get("Sid"),
          list(statement.get("Action")).stream().map(Cfn::text).sorted().toList()
              + " on "
              + list(statement.get("Resource")).stream().map(Cfn::text).sorted().toList()
              + (statement.containsKey("Condition") ? " if " + statement.get("Condition") : ""));
    }
    return statements;
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void theListenerMayReadUpdateAndDeleteItemsAndQueryItsPartitionsAndTwoIndexes(Region region) {
    String table =
        "arn:${AWS::Partition}:dynamodb:" + region.code() + ":${AWS::AccountId}:table/inboxpush";
    assertThat(statements(region, "Listener"))
        .containsExactly(
            Map.entry(
                "Indexes",
                "[dynamodb:Query] on ["
                    + table
                    + "/index/byDevice, "
                    + table
                    + "/index/byPending]"),
            Map.entry(
                "Table",
                "[dynamodb:DeleteItem, dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:Query] on ["
                    + table
                    + "]"),
            // Listener state only: never a device claim (DEV#) or subscription pointer (SUB#).
            Map.entry(
                "UpdateOwnPartitions",
                "[dynamodb:UpdateItem] on ["
                    + table
                    + "] if {ForAllValues:StringLike={dynamodb:LeadingKeys=[REG#*]}}"));
  }

  /**
   * The registration API writes every kind of item (registrations, device claims, subscription
   * pointers), so its UpdateItem is on the table unconditioned, with PutItem, and it queries the
   * owner index only.
   */
  @ParameterizedTest
  @EnumSource(Region.class)
  void theRegistrationApiMayWriteItemsAndQueryOnlyTheOwnerIndex(Region region) {
    String table =
        "arn:${AWS::Partition}:dynamodb:" + region.code() + ":${AWS::AccountId}:table/inboxpush";
    assertThat(statements(region, "Registration"))
        .containsExactly(
            Map.entry("Indexes", "[dynamodb:Query] on [" + table + "/index/byOwner]"),
            Map.entry(
                "Table",
                "[dynamodb:DeleteItem, dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:PutItem,"
                    + " dynamodb:UpdateItem] on ["
                    + table
                    + "]"));
  }

  /**
   * Both task roles may remote-write to the one workspace, through the monitoring stack's managed
   * policy (named: IAM is global, the workspace's stack is in another region), which grants exactly
   * that on exactly that workspace.
   */
  @ParameterizedTest
  @EnumSource(Region.class)
  void bothTaskRolesMayRemoteWriteToTheOneWorkspaceOnly(Region region) {
    for (String service : List.of("Listener", "Registration")) {
      Map<String, Object> role =
          Cfn.one(Synthesized.region(region), "AWS::IAM::Role", service + "TaskTaskRole");
      assertThat(list(role.get("ManagedPolicyArns")).stream().map(Cfn::text).toList())
          .containsExactly(
              "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/"
                  + MonitoringStack.REMOTE_WRITE_POLICY);
    }
    Map<String, Object> policy =
        Cfn.one(Synthesized.monitoring(), "AWS::IAM::ManagedPolicy", "RemoteWrite");
    assertThat(policy.get("ManagedPolicyName")).isEqualTo(MonitoringStack.REMOTE_WRITE_POLICY);
    List<Object> statements = list(map(policy.get("PolicyDocument")).get("Statement"));
    assertThat(statements).hasSize(1);
    Map<String, Object> statement = map(statements.get(0));
    assertThat(statement).containsEntry("Effect", "Allow").doesNotContainKey("Condition");
    assertThat(list(statement.get("Action")))
        .containsExactly(ServiceAccess.PROMETHEUS_REMOTE_WRITE);
    assertThat(list(statement.get("Resource")).stream().map(Cfn::text).toList())
        .containsExactly("${Prometheus.Arn}");
  }

  /**
   * The listener's UpdateItem condition admits the key the store builds for listener state, and
   * none of the keys of the items only the registration API writes (device claims, subscription
   * pointers), read from the store's own key builders.
   */
  @Test
  void theListenerMayUpdateListenerStateButNoClaimOrPointer() {
    Pattern like = likePattern(ServiceAccess.LISTENER_UPDATES);
    Map<String, AttributeValue> state = StoreKeys.listenerState(RegistrationId.random());
    assertThat(state.get(TableLayout.SK).s()).isEqualTo(TableLayout.SK_LISTENER);
    assertThat(state.get(TableLayout.PK).s()).matches(like);
    String claim =
        StoreKeys.deviceClaim(
            AppId.of("com.example.mail"),
            DeviceToken.of(Platform.APNS, "0123456789abcdef0123456789abcdef"),
            OwnerHash.of("0".repeat(64)));
    String pointer = StoreKeys.subscriptionPointer(SubscriptionId.of("AAMkAGI2THVSAAA="));
    assertThat(claim).doesNotMatch(like);
    assertThat(pointer).doesNotMatch(like);
  }

  /** IAM's StringLike: {@code *} is any run of characters, {@code ?} any one. */
  private static Pattern likePattern(String like) {
    StringBuilder regex = new StringBuilder();
    for (char c : like.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(Character.toString(c)));
    }
    return Pattern.compile(regex.toString());
  }

  /**
   * The execution role, which ECS uses to start the task: its image, its log group, its secrets.
   */
  @ParameterizedTest
  @EnumSource(Region.class)
  void theExecutionRolesPullTheImageWriteTheLogsAndReadTheNamedSecretsOnly(Region region) {
    String arn = "arn:${AWS::Partition}:%s:" + region.code() + ":${AWS::AccountId}:%s";
    for (String service : List.of("Listener", "Registration")) {
      Map<String, Object> policy =
          Cfn.one(
              Synthesized.region(region),
              "AWS::IAM::Policy",
              service + "TaskExecutionRoleDefaultPolicy");
      List<String> statements = new ArrayList<>();
      for (Object s : list(map(policy.get("PolicyDocument")).get("Statement"))) {
        Map<String, Object> statement = map(s);
        statements.add(
            list(statement.get("Action")).stream().map(Cfn::text).sorted().toList()
                + " on "
                + list(statement.get("Resource")).stream().map(Cfn::text).sorted().toList());
      }
      String repository =
          String.format(arn, "ecr", "repository/inbox-push/" + service.toLowerCase() + "-service");
      String secrets = "[secretsmanager:DescribeSecret, secretsmanager:GetSecretValue] on [";
      List<String> expected =
          new ArrayList<>(
              List.of(
                  "[ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]"
                      + " on ["
                      + repository
                      + "]",
                  "[ecr:GetAuthorizationToken] on [*]",
                  "[logs:CreateLogStream, logs:PutLogEvents] on [${" + service + "Logs"));
      if (service.equals("Listener")) {
        expected.add(
            secrets
                + String.format(
                    arn, "secretsmanager", "secret:inboxpush/apns/com.example.mail-??????]"));
        expected.add(
            secrets
                + String.format(
                    arn, "secretsmanager", "secret:inboxpush/fcm/example-mail-??????]"));
        expected.add(
            secrets
                + String.format(
                    arn, "secretsmanager", "secret:inboxpush/apns/com.example.legacy-??????]"));
      } else {
        expected.add(
            secrets
                + String.format(arn, "secretsmanager", "secret:inboxpush/owner-hash-key-??????]"));
      }
      assertThat(statements).hasSameSizeAs(expected);
      for (String e : expected) {
        assertThat(statements).as(service).anyMatch(s -> s.startsWith(e));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServiceAccess.class)
  void theReadmeListsExactlyTheActionsOfEachRole(ServiceAccess access) throws IOException {
    String readme = Files.readString(Path.of("..", "..", "README.md"));
    int start = readme.indexOf("<!-- iam:" + access.name().toLowerCase() + " -->");
    int end = readme.indexOf("<!-- /iam:" + access.name().toLowerCase() + " -->");
    assertThat(start).as("README.md marks the %s role's actions", access).isPositive();
    assertThat(end).isGreaterThan(start);
    TreeSet<String> listed = new TreeSet<>();
    Matcher action =
        Pattern.compile("`((?:dynamodb|aps):[A-Za-z]+)`").matcher(readme.substring(start, end));
    while (action.find()) {
      listed.add(action.group(1));
    }
    // A condition key, not an action.
    boolean conditioned = listed.remove("dynamodb:LeadingKeys");
    assertThat(conditioned).isEqualTo(!access.updatedPartitions().isEmpty());
    // A set: the listener's Query is granted on the table and on its indexes alike.
    TreeSet<String> granted = new TreeSet<>(access.allTableActions());
    granted.add(ServiceAccess.PROMETHEUS_REMOTE_WRITE);
    assertThat(listed).containsExactlyElementsOf(granted);
    for (String index : access.queriedIndexes()) {
      assertThat(readme.substring(start, end)).contains("`" + index + "`");
    }
    for (String partitions : access.updatedPartitions()) {
      assertThat(readme.substring(start, end))
          .contains("`dynamodb:LeadingKeys`")
          .contains("`" + partitions + "`");
    }
  }
}
