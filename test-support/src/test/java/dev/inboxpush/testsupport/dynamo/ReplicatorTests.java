package dev.inboxpush.testsupport.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Two dynalites standing in for two regions, the replicator between them. */
class ReplicatorTests {

  static final Duration LAG = Duration.ofMillis(1_500);
  static final Duration POLL = Duration.ofMillis(50);

  static Dynalite east;
  static Dynalite west;

  private String table;
  private Replicator replicator;

  @BeforeAll
  static void startEngines() {
    east = Dynalite.start();
    west = Dynalite.start();
  }

  @AfterAll
  static void stopEngines() {
    east.close();
    west.close();
  }

  @BeforeEach
  void createTables() {
    table = "replicated-" + System.nanoTime();
    for (Dynalite engine : List.of(east, west)) {
      engine
          .sharedClient()
          .createTable(
              t ->
                  t.tableName(table)
                      .billingMode(BillingMode.PAY_PER_REQUEST)
                      .attributeDefinitions(
                          AttributeDefinition.builder()
                              .attributeName("pk")
                              .attributeType(ScalarAttributeType.S)
                              .build(),
                          AttributeDefinition.builder()
                              .attributeName("sk")
                              .attributeType(ScalarAttributeType.S)
                              .build())
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName("pk")
                              .keyType(KeyType.HASH)
                              .build(),
                          KeySchemaElement.builder()
                              .attributeName("sk")
                              .keyType(KeyType.RANGE)
                              .build()))
          .join();
    }
    replicator =
        Replicator.start(
            table, "pk", "sk", List.of(east.sharedClient(), west.sharedClient()), LAG, POLL);
  }

  @AfterEach
  void stop() {
    replicator.close();
  }

  private void put(Dynalite engine, String pk, String value) {
    engine
        .sharedClient()
        .putItem(
            p ->
                p.tableName(table)
                    .item(
                        Map.of(
                            "pk", AttributeValue.fromS(pk),
                            "sk", AttributeValue.fromS("ITEM"),
                            "value", AttributeValue.fromS(value))))
        .join();
  }

  private String read(Dynalite engine, String pk) {
    DynamoDbAsyncClient client = engine.sharedClient();
    Map<String, AttributeValue> item =
        client
            .getItem(
                g ->
                    g.tableName(table)
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS(pk),
                                "sk",
                                AttributeValue.fromS("ITEM"))))
            .join()
            .item();
    return item == null || item.isEmpty() ? null : item.get("value").s();
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @Test
  void aWriteAppearsInTheOtherReplicaOnlyAfterTheLag() throws InterruptedException {
    put(east, "a", "1");

    sleep(LAG.dividedBy(3));
    assertThat(read(west, "a")).as("within the lag").isNull();
    replicator.awaitQuiet(Duration.ofSeconds(20));
    assertThat(read(west, "a")).isEqualTo("1");
    assertThat(read(east, "a")).isEqualTo("1");
  }

  @Test
  void aDeletionReplicatesToo() {
    put(west, "b", "1");
    replicator.awaitQuiet(Duration.ofSeconds(20));
    assertThat(read(east, "b")).isEqualTo("1");

    west.sharedClient()
        .deleteItem(
            d ->
                d.tableName(table)
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS("b"), "sk", AttributeValue.fromS("ITEM"))))
        .join();
    replicator.awaitQuiet(Duration.ofSeconds(20));

    assertThat(read(east, "b")).isNull();
  }

  @Test
  void concurrentWritesOfOneItemConvergeOnTheLastWriter() throws InterruptedException {
    put(east, "c", "older");
    sleep(POLL.multipliedBy(6)); // seen in the east before the west's write is made
    put(west, "c", "newer");

    replicator.awaitQuiet(Duration.ofSeconds(20));

    assertThat(read(east, "c")).isEqualTo("newer");
    assertThat(read(west, "c")).isEqualTo("newer");
  }

  @Test
  void aPausedReplicatorHoldsEveryWriteBackUntilResumed() throws InterruptedException {
    replicator.pause();
    put(east, "d", "1");
    sleep(LAG.multipliedBy(2));
    assertThat(read(west, "d")).isNull();

    replicator.resume();
    replicator.awaitQuiet(Duration.ofSeconds(20));
    assertThat(read(west, "d")).isEqualTo("1");
  }
}
