package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.SdkCallAdapter.call;
import static dev.inboxpush.store.dynamo.SdkCallAdapter.conditional;

import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Every request the stores send to the table, built in one place: the table name, the key, the
 * {@link Expression} as update, condition or key condition with its placeholders, and the
 * consistency. Every GetItem and the partition read are strongly consistent; the other queries read
 * a global secondary index and are therefore eventually consistent.
 *
 * <p>Each method returns a lazy publisher: nothing is sent before subscription, and each
 * subscription sends the request again. Failures are mapped by {@link SdkCallAdapter}. A failed
 * condition emits {@code false} from the {@code ...If} methods; from the others it stays a {@link
 * ConditionalCheckFailedException} for the caller to turn into an outcome. The {@code operation}
 * names the call in error messages ({@code "DynamoDB <operation> failed: ..."}).
 *
 * <p>Thread-safe; holds nothing but the client and the table name. Lifecycle: the caller owns the
 * client.
 */
final class TableRequests {

  private final DynamoDbAsyncClient client;
  private final String table;

  TableRequests(DynamoDbAsyncClient client, String table) {
    this.client = client;
    this.table = table;
  }

  /** The item under {@code key}, read strongly consistently; empty when there is none. */
  Mono<Map<String, AttributeValue>> get(String operation, Map<String, AttributeValue> key) {
    return call(
            operation,
            () ->
                client.getItem(
                    GetItemRequest.builder()
                        .tableName(table)
                        .key(key)
                        .consistentRead(true)
                        .build()))
        .filter(response -> response.hasItem() && !response.item().isEmpty())
        .map(GetItemResponse::item);
  }

  /**
   * Every item of the base table's partition {@code pk} (one page: the stores keep a handful of
   * items per partition), read strongly consistently in one Query.
   */
  Flux<Map<String, AttributeValue>> partition(String operation, String pk) {
    Expression key = new Expression().ifEquals(TableLayout.PK, Attributes.s(pk));
    return call(
            operation,
            () ->
                client.query(
                    QueryRequest.builder()
                        .tableName(table)
                        .keyConditionExpression(key.conditionExpression())
                        .expressionAttributeNames(key.names())
                        .expressionAttributeValues(key.values())
                        .consistentRead(true)
                        .build()))
        .flatMapIterable(QueryResponse::items);
  }

  /** Writes {@code item} if {@code condition} holds, else fails. */
  Mono<Void> put(String operation, Map<String, AttributeValue> item, Expression condition) {
    return call(operation, () -> client.putItem(putRequest(item, condition))).then();
  }

  /** Writes {@code item} if {@code condition} holds; emits whether it did. */
  Mono<Boolean> putIf(String operation, Map<String, AttributeValue> item, Expression condition) {
    return conditional(operation, () -> client.putItem(putRequest(item, condition)));
  }

  /** Applies {@code update} (its SET and REMOVE clauses) if its conditions hold, else fails. */
  Mono<Void> update(String operation, Map<String, AttributeValue> key, Expression update) {
    return call(operation, () -> client.updateItem(updateRequest(key, update).build())).then();
  }

  /**
   * Like {@link #update}, emitting the item's attributes as {@code returnValue} asks (before or
   * after the update).
   */
  Mono<Map<String, AttributeValue>> updateReturning(
      String operation,
      Map<String, AttributeValue> key,
      Expression update,
      ReturnValue returnValue) {
    return call(
            operation,
            () -> client.updateItem(updateRequest(key, update).returnValues(returnValue).build()))
        .map(UpdateItemResponse::attributes);
  }

  /** Applies {@code update} if its conditions hold; emits whether it did. */
  Mono<Boolean> updateIf(String operation, Map<String, AttributeValue> key, Expression update) {
    return conditional(operation, () -> client.updateItem(updateRequest(key, update).build()));
  }

  /** Deletes the item under {@code key}, if there is one. */
  Mono<Void> delete(String operation, Map<String, AttributeValue> key) {
    return call(
            operation,
            () -> client.deleteItem(DeleteItemRequest.builder().tableName(table).key(key).build()))
        .then();
  }

  /** Deletes the item under {@code key} if {@code condition} holds; emits whether it did. */
  Mono<Boolean> deleteIf(String operation, Map<String, AttributeValue> key, Expression condition) {
    return conditional(operation, () -> client.deleteItem(deleteRequest(key, condition).build()));
  }

  /**
   * Deletes the item under {@code key} if {@code condition} holds, else fails; emits the item as it
   * was, or empty when there was none.
   */
  Mono<Map<String, AttributeValue>> deleteReturningOld(
      String operation, Map<String, AttributeValue> key, Expression condition) {
    return call(
            operation,
            () ->
                client.deleteItem(
                    deleteRequest(key, condition).returnValues(ReturnValue.ALL_OLD).build()))
        .map(DeleteItemResponse::attributes)
        .filter(old -> old != null && !old.isEmpty());
  }

  /**
   * Every item of {@code index} that matches {@code keyCondition} (its conditions only), page by
   * page; fails as {@code Query(<index>)}.
   */
  Flux<Map<String, AttributeValue>> queryAll(String index, Expression keyCondition) {
    return Flux.from(client.queryPaginator(queryRequest(index, keyCondition).build()).items())
        .onErrorMap(error -> SdkCallAdapter.map("Query(" + index + ")", error));
  }

  /**
   * The first {@code limit} items of {@code index} that match {@code keyCondition}, in ascending
   * sort-key order.
   */
  Flux<Map<String, AttributeValue>> queryFirst(
      String operation, String index, Expression keyCondition, int limit) {
    QueryRequest query =
        queryRequest(index, keyCondition).scanIndexForward(true).limit(limit).build();
    return call(operation, () -> client.query(query)).flatMapIterable(QueryResponse::items);
  }

  private PutItemRequest putRequest(Map<String, AttributeValue> item, Expression condition) {
    Map<String, AttributeValue> stamped = new HashMap<>(item);
    stamped.put(TableLayout.ATTR_SCHEMA_VERSION, Attributes.n(TableLayout.SCHEMA_VERSION));
    return PutItemRequest.builder()
        .tableName(table)
        .item(stamped)
        .conditionExpression(condition.conditionExpression())
        .expressionAttributeNames(condition.names())
        .expressionAttributeValues(condition.values())
        .build();
  }

  private UpdateItemRequest.Builder updateRequest(
      Map<String, AttributeValue> key, Expression update) {
    update.stampSchemaVersion();
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key)
        .updateExpression(update.updateExpression())
        .conditionExpression(update.conditionExpression())
        .expressionAttributeNames(update.names())
        .expressionAttributeValues(update.values());
  }

  private DeleteItemRequest.Builder deleteRequest(
      Map<String, AttributeValue> key, Expression condition) {
    return DeleteItemRequest.builder()
        .tableName(table)
        .key(key)
        .conditionExpression(condition.conditionExpression())
        .expressionAttributeNames(condition.names())
        .expressionAttributeValues(condition.values());
  }

  private QueryRequest.Builder queryRequest(String index, Expression keyCondition) {
    if (keyCondition.conditionExpression() == null || keyCondition.updateExpression() != null) {
      // Never caused by data: a key condition without conditions, or with SET or REMOVE, is a bug.
      throw new IllegalArgumentException("a key condition has conditions and nothing else");
    }
    return QueryRequest.builder()
        .tableName(table)
        .indexName(index)
        .keyConditionExpression(keyCondition.conditionExpression())
        .expressionAttributeNames(keyCondition.names())
        .expressionAttributeValues(keyCondition.values());
  }
}
