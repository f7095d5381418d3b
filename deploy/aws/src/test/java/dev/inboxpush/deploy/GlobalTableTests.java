package dev.inboxpush.deploy;

import static dev.inboxpush.deploy.Cfn.list;
import static dev.inboxpush.deploy.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.store.dynamo.TableBootstrap;
import dev.inboxpush.store.dynamo.TableLayout;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * The synthesized Global Table against the store's own schema ({@link
 * TableBootstrap#createRequest}, what the services verify at start-up): a difference in keys,
 * attribute types, indexes, projections or TTL attribute fails here.
 */
class GlobalTableTests {

  private final CreateTableRequest store = TableBootstrap.createRequest("inboxpush");
  private final Map<String, Object> table =
      Cfn.one(Synthesized.global(), "AWS::DynamoDB::GlobalTable", "Table");

  @Test
  void keysAndAttributeTypesAreTheStores() {
    assertThat(table.get("TableName")).isEqualTo(store.tableName());
    assertThat(keys(table.get("KeySchema"))).isEqualTo(keys(store.keySchema()));
    Map<String, String> types = new TreeMap<>();
    for (Object definition : list(table.get("AttributeDefinitions"))) {
      types.put(
          (String) map(definition).get("AttributeName"),
          (String) map(definition).get("AttributeType"));
    }
    assertThat(types)
        .isEqualTo(
            store.attributeDefinitions().stream()
                .collect(
                    Collectors.toMap(
                        a -> a.attributeName(),
                        a -> a.attributeTypeAsString(),
                        (a, b) -> a,
                        TreeMap::new)));
  }

  @Test
  void indexesAreTheStoresWithTheirKeysAndProjections() {
    Map<String, String> synthesized = new TreeMap<>();
    for (Object index : list(table.get("GlobalSecondaryIndexes"))) {
      Map<String, Object> i = map(index);
      synthesized.put(
          (String) i.get("IndexName"),
          keys(i.get("KeySchema")) + " " + map(i.get("Projection")).get("ProjectionType"));
    }
    Map<String, String> expected = new TreeMap<>();
    for (GlobalSecondaryIndex index : store.globalSecondaryIndexes()) {
      expected.put(
          index.indexName(),
          keys(index.keySchema()) + " " + index.projection().projectionTypeAsString());
    }
    assertThat(synthesized).isEqualTo(expected);
    assertThat(synthesized)
        .containsOnlyKeys(
            TableLayout.GSI_DEVICE,
            TableLayout.GSI_OWNER,
            TableLayout.GSI_SUBSCRIPTION,
            TableLayout.GSI_PENDING);
  }

  @Test
  void onDemandWithTtlPitrEncryptionAndDeletionProtectionInEveryRegion() {
    assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
    assertThat(map(table.get("TimeToLiveSpecification")))
        .containsEntry("AttributeName", TableLayout.ATTR_TTL)
        .containsEntry("Enabled", true);
    assertThat(map(table.get("SSESpecification")))
        .containsEntry("SSEEnabled", true)
        .containsEntry("SSEType", "KMS");
    Set<String> regions =
        list(table.get("Replicas")).stream()
            .map(r -> (String) map(r).get("Region"))
            .collect(Collectors.toSet());
    assertThat(regions).containsExactlyInAnyOrder("us-east-1", "eu-west-1", "ap-southeast-1");
    for (Object replica : list(table.get("Replicas"))) {
      Map<String, Object> r = map(replica);
      assertThat(r.get("DeletionProtectionEnabled")).as("%s", r.get("Region")).isEqualTo(true);
      assertThat(map(r.get("PointInTimeRecoverySpecification")))
          .as("%s", r.get("Region"))
          .containsEntry("PointInTimeRecoveryEnabled", true);
    }
    assertThat(Synthesized.global().findResources("AWS::DynamoDB::GlobalTable").values())
        .allSatisfy(resource -> assertThat(resource).containsEntry("DeletionPolicy", "Retain"));
  }

  @Test
  void theOwnerHashKeyIsOneSecretReplicatedToTheOtherRegions() {
    Map<String, Object> secret =
        Cfn.one(Synthesized.global(), "AWS::SecretsManager::Secret", "OwnerHashKey");
    assertThat(secret.get("Name")).isEqualTo(Deployment.OWNER_HASH_SECRET_NAME);
    assertThat(list(secret.get("ReplicaRegions")).stream().map(r -> map(r).get("Region")).toList())
        .containsExactlyInAnyOrder("eu-west-1", "ap-southeast-1");
  }

  private static String keys(Object keySchema) {
    return list(keySchema).stream()
        .map(
            k ->
                k instanceof KeySchemaElement e
                    ? e.attributeName() + " " + e.keyTypeAsString()
                    : map(k).get("AttributeName") + " " + map(k).get("KeyType"))
        .sorted()
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
