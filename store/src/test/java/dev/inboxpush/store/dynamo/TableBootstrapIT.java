package dev.inboxpush.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.Region;
import dev.inboxpush.store.StoreSchemaException;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

@ExtendWith(DynaliteExtension.class)
class TableBootstrapIT {

  private DynamoDbAsyncClient client;
  private StoreSettings settings;

  @BeforeEach
  void setUp(Dynalite dynalite) {
    this.client = dynalite.sharedClient();
    this.settings = StoreSettings.of("boot-" + UUID.randomUUID()).withEndpoint(dynalite.endpoint());
  }

  @AfterEach
  void tearDown() {
    client.deleteTable(b -> b.tableName(settings.tableName())).exceptionally(e -> null).join();
  }

  @Test
  void createsTheTableWithEveryIndexAndIsIdempotent() {
    TableBootstrap bootstrap = new TableBootstrap(client, settings.withCreateTable(true));

    bootstrap.run();
    assertThatCode(bootstrap::run).doesNotThrowAnyException();

    TableDescription table =
        client.describeTable(b -> b.tableName(settings.tableName())).join().table();
    assertThat(table.globalSecondaryIndexes())
        .extracting(index -> index.indexName())
        .containsExactlyInAnyOrder(
            TableLayout.GSI_DEVICE,
            TableLayout.GSI_OWNER,
            TableLayout.GSI_SUBSCRIPTION,
            TableLayout.GSI_PENDING);
    assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
  }

  @Test
  void twoInstancesStartingTogetherBothSucceed() {
    StoreSettings create = settings.withCreateTable(true);

    CompletableFuture<Void> other =
        CompletableFuture.runAsync(() -> new TableBootstrap(client, create).run());
    new TableBootstrap(client, create).run();

    assertThatCode(() -> other.get(30, TimeUnit.SECONDS)).doesNotThrowAnyException();
    assertThatCode(() -> new TableBootstrap(client, settings).verify()).doesNotThrowAnyException();
  }

  @Test
  void aMissingTableStopsStartUpWhenCreationIsOff() {
    assertThatThrownBy(() -> DynamoStore.open(settings, Region.US_EAST_1, Clock.systemUTC()))
        .isInstanceOf(StoreSchemaException.class)
        .hasMessageContaining("'" + settings.tableName() + "' does not exist")
        .hasMessageContaining("inboxpush.dynamodb.create-table=true");
    assertThat(client.listTables().join().tableNames()).doesNotContain(settings.tableName());
  }

  @Test
  void aTableWithAnotherSchemaIsRejectedWithEveryDifference() {
    client
        .createTable(
            CreateTableRequest.builder()
                .tableName(settings.tableName())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("id"), attribute(TableLayout.ATTR_OWNER))
                .keySchema(hashKey("id"))
                .globalSecondaryIndexes(
                    GlobalSecondaryIndex.builder()
                        .indexName(TableLayout.GSI_OWNER)
                        .keySchema(hashKey(TableLayout.ATTR_OWNER))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build())
                .build())
        .join();

    // Even with creation on, an existing wrong table is not "fixed" silently.
    assertThatThrownBy(() -> new TableBootstrap(client, settings.withCreateTable(true)).run())
        .isInstanceOf(StoreSchemaException.class)
        .hasMessageContaining("table has key (id HASH), expected (pk HASH, sk RANGE)")
        .hasMessageContaining("index byDevice is missing")
        .hasMessageContaining("index bySubscription is missing")
        .hasMessageContaining("index byPending is missing")
        .hasMessageContaining("index byOwner projects ALL, expected KEYS_ONLY");
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  private static KeySchemaElement hashKey(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  @Test
  void verifyingAGoodTableWithoutCreationSucceeds() {
    new TableBootstrap(client, settings.withCreateTable(true)).run();

    try (DynamoStore store = DynamoStore.open(settings, Region.AP_SOUTHEAST_1, Clock.systemUTC())) {
      assertThat(
              store
                  .isReachable(java.time.Duration.ofSeconds(5))
                  .block(java.time.Duration.ofSeconds(10)))
          .isTrue();
    }
  }
}
