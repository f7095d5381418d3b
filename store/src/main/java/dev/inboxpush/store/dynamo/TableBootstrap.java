package dev.inboxpush.store.dynamo;

import dev.inboxpush.store.StoreSchemaException;
import dev.inboxpush.store.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the table (only when {@link StoreSettings#createTable()} is set) and verifies it.
 *
 * <p>Creation is idempotent: a table that exists already is not an error, so two instances may
 * start at once. TTL is then enabled on {@value TableLayout#ATTR_TTL}; engines without {@code
 * UpdateTimeToLive} (dynalite) are told apart and tolerated, since reads ignore expired items
 * anyway. Verification compares key schema, attribute types and indexes with {@link TableLayout}
 * and throws {@link StoreSchemaException} listing every difference and the fix.
 *
 * <p>Blocking: call once at start-up, not on an event loop. Timeouts come from the client.
 */
public final class TableBootstrap {

  private static final Logger log = LoggerFactory.getLogger(TableBootstrap.class);
  private static final Duration WAIT_FOR_ACTIVE = Duration.ofMinutes(2);

  /**
   * Start-up calls get their own, longer bound than the store's per-call timeout: the first call of
   * a fresh client also resolves credentials and opens connections.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final DynamoDbAsyncClient client;
  private final StoreSettings settings;

  public TableBootstrap(DynamoDbAsyncClient client, StoreSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Creates the table if configured to, then verifies it. */
  public void run() {
    if (settings.createTable()) {
      create();
    }
    verify();
  }

  /** Throws {@link StoreSchemaException} unless the table matches what this version needs. */
  public void verify() {
    TableDescription table;
    try {
      table = describe().table();
    } catch (ResourceNotFoundException e) {
      throw new StoreSchemaException(
          "DynamoDB table '"
              + settings.tableName()
              + "' does not exist. Create it with the infrastructure code in deploy/, or set"
              + " inboxpush.dynamodb.create-table=true for a local run or test.");
    }
    List<String> problems = new ArrayList<>();
    checkKeys("table", table.keySchema(), TableLayout.PK, TableLayout.SK, problems);
    Map<String, ScalarAttributeType> types =
        table.attributeDefinitions().stream()
            .collect(
                Collectors.toMap(
                    AttributeDefinition::attributeName, AttributeDefinition::attributeType));
    for (AttributeDefinition wanted : attributeDefinitions()) {
      ScalarAttributeType actual = types.get(wanted.attributeName());
      if (actual != null && actual != wanted.attributeType()) {
        problems.add(
            "attribute "
                + wanted.attributeName()
                + " is "
                + actual
                + ", expected "
                + wanted.attributeType());
      }
    }
    Map<String, GlobalSecondaryIndexDescription> indexes =
        table.globalSecondaryIndexes().stream()
            .collect(Collectors.toMap(GlobalSecondaryIndexDescription::indexName, i -> i));
    for (TableLayout.Index wanted : TableLayout.INDEXES) {
      GlobalSecondaryIndexDescription actual = indexes.get(wanted.name());
      if (actual == null) {
        problems.add("index " + wanted.name() + " is missing");
        continue;
      }
      checkKeys(
          "index " + wanted.name(),
          actual.keySchema(),
          wanted.partitionKey(),
          wanted.sortKey(),
          problems);
      ProjectionType projection = actual.projection().projectionType();
      ProjectionType expected = wanted.keysOnly() ? ProjectionType.KEYS_ONLY : ProjectionType.ALL;
      if (projection != expected) {
        problems.add(
            "index " + wanted.name() + " projects " + projection + ", expected " + expected);
      }
    }
    if (!problems.isEmpty()) {
      throw new StoreSchemaException(
          "DynamoDB table '"
              + settings.tableName()
              + "' does not match this version of inbox-push: "
              + String.join("; ", problems)
              + ". Apply the table definition in deploy/ (or point inboxpush.dynamodb.table-name at"
              + " the right table).");
    }
    if (table.tableStatus() != TableStatus.ACTIVE
        || table.globalSecondaryIndexes().stream()
            .anyMatch(index -> index.indexStatus() != IndexStatus.ACTIVE)) {
      log.warn(
          "DynamoDB table '{}' or one of its indexes is not ACTIVE yet; lookups may fail until it is",
          settings.tableName());
    }
    log.info("DynamoDB table '{}' verified", settings.tableName());
  }

  private void create() {
    try {
      join(
          client.createTable(
              createRequest(settings.tableName()).toBuilder()
                  .overrideConfiguration(TableBootstrap::bounded)
                  .build()));
      log.info("DynamoDB table '{}' created", settings.tableName());
    } catch (ResourceInUseException e) {
      log.debug("DynamoDB table '{}' exists already", settings.tableName());
    }
    join(
        client
            .waiter()
            .waitUntilTableExists(
                b -> b.tableName(settings.tableName()), wait -> wait.waitTimeout(WAIT_FOR_ACTIVE)));
    enableTimeToLive();
  }

  private void enableTimeToLive() {
    try {
      TimeToLiveStatus status =
          join(client.describeTimeToLive(
                  b ->
                      b.tableName(settings.tableName())
                          .overrideConfiguration(TableBootstrap::bounded)))
              .timeToLiveDescription()
              .timeToLiveStatus();
      if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
        return;
      }
      join(
          client.updateTimeToLive(
              b ->
                  b.tableName(settings.tableName())
                      .overrideConfiguration(TableBootstrap::bounded)
                      .timeToLiveSpecification(
                          s -> s.attributeName(TableLayout.ATTR_TTL).enabled(true))));
      log.info("TTL enabled on '{}'", TableLayout.ATTR_TTL);
    } catch (DynamoDbException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if ("UnknownOperationException".equals(code)) {
        // dynalite has no UpdateTimeToLive; reads filter expired items, so only storage grows.
        log.info("this DynamoDB engine does not support TTL; expired items are ignored on read");
      } else if ("ValidationException".equals(code)
          && String.valueOf(e.getMessage()).contains("already enabled")) {
        // Another instance enabled it between our describe and update.
        log.debug("TTL was enabled concurrently");
      } else {
        throw e;
      }
    }
  }

  /**
   * The table this version needs, as it creates it: keys, attribute types, indexes and their
   * projections, on-demand billing. TTL ({@value TableLayout#ATTR_TTL}) is enabled separately. The
   * infrastructure code in {@code deploy/aws} builds the production table from this, so the two
   * cannot drift apart.
   */
  public static CreateTableRequest createRequest(String tableName) {
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (TableLayout.Index index : TableLayout.INDEXES) {
      List<KeySchemaElement> keys = new ArrayList<>();
      keys.add(key(index.partitionKey(), KeyType.HASH));
      if (index.hasSortKey()) {
        keys.add(key(index.sortKey(), KeyType.RANGE));
      }
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(index.name())
              .keySchema(keys)
              .projection(
                  Projection.builder()
                      .projectionType(
                          index.keysOnly() ? ProjectionType.KEYS_ONLY : ProjectionType.ALL)
                      .build())
              .build());
    }
    return CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attributeDefinitions())
        .keySchema(key(TableLayout.PK, KeyType.HASH), key(TableLayout.SK, KeyType.RANGE))
        .globalSecondaryIndexes(indexes)
        .build();
  }

  private static List<AttributeDefinition> attributeDefinitions() {
    return List.of(
        attribute(TableLayout.PK, ScalarAttributeType.S),
        attribute(TableLayout.SK, ScalarAttributeType.S),
        attribute(TableLayout.ATTR_DEVICE_KEY, ScalarAttributeType.S),
        attribute(TableLayout.ATTR_OWNER, ScalarAttributeType.S),
        attribute(TableLayout.ATTR_SUBSCRIPTION_ID, ScalarAttributeType.S),
        attribute(TableLayout.ATTR_PENDING_SHARD, ScalarAttributeType.S),
        attribute(TableLayout.ATTR_PENDING_NEXT, ScalarAttributeType.N));
  }

  private static void checkKeys(
      String where,
      List<KeySchemaElement> actual,
      String partitionKey,
      String sortKey,
      List<String> problems) {
    List<KeySchemaElement> expected = new ArrayList<>();
    expected.add(key(partitionKey, KeyType.HASH));
    if (!sortKey.isEmpty()) {
      expected.add(key(sortKey, KeyType.RANGE));
    }
    if (!Objects.equals(describeKeys(actual), describeKeys(expected))) {
      problems.add(
          where + " has key " + describeKeys(actual) + ", expected " + describeKeys(expected));
    }
  }

  private static String describeKeys(List<KeySchemaElement> keys) {
    return keys.stream()
        .map(k -> k.attributeName() + " " + k.keyType())
        .sorted()
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private DescribeTableResponse describe() {
    return join(
        client.describeTable(
            b -> b.tableName(settings.tableName()).overrideConfiguration(TableBootstrap::bounded)));
  }

  /**
   * A start-up call may take up to 30 s, retries included. No attempt timeout of its own, which
   * could let a late answer fail the retry: with a client from {@link DynamoClients} each attempt
   * is bounded by its read timeout (half the service's call bound), so the SDK's three attempts and
   * their backoff, not the 30 s, usually end a call to a table that does not answer; with another
   * client, by that client's own timeouts.
   */
  private static void bounded(AwsRequestOverrideConfiguration.Builder override) {
    override.apiCallTimeout(CALL_TIMEOUT);
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
