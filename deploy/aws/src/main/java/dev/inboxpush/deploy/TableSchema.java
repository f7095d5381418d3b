package dev.inboxpush.deploy;

import dev.inboxpush.store.dynamo.TableBootstrap;
import dev.inboxpush.store.dynamo.TableLayout;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexPropsV2;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The production table's schema, translated from the store's own {@link
 * TableBootstrap#createRequest(String)}: the table's keys, every index with its keys and
 * projection, and the TTL attribute ({@link TableLayout#ATTR_TTL}). Nothing about the schema is
 * written here a second time, so the deployed table and the one the services verify at start-up
 * cannot drift apart.
 *
 * <p>Fails with {@link IllegalStateException} on anything the translation does not know (a binary
 * key, an {@code INCLUDE} projection): a schema change in the store must then be carried over on
 * purpose.
 */
final class TableSchema {

  private final CreateTableRequest request;
  private final Map<String, ScalarAttributeType> types;

  private TableSchema(CreateTableRequest request) {
    this.request = request;
    this.types =
        request.attributeDefinitions().stream()
            .collect(
                Collectors.toMap(
                    AttributeDefinition::attributeName, AttributeDefinition::attributeType));
  }

  /** The schema of the table named {@code tableName}, as the store creates it locally. */
  static TableSchema of(String tableName) {
    return new TableSchema(TableBootstrap.createRequest(tableName));
  }

  String tableName() {
    return request.tableName();
  }

  Attribute partitionKey() {
    return attribute(key(request.keySchema(), KeyType.HASH));
  }

  Attribute sortKey() {
    return attribute(key(request.keySchema(), KeyType.RANGE));
  }

  String timeToLiveAttribute() {
    return TableLayout.ATTR_TTL;
  }

  /** The index names, in the store's order. */
  List<String> indexNames() {
    return request.globalSecondaryIndexes().stream().map(GlobalSecondaryIndex::indexName).toList();
  }

  List<GlobalSecondaryIndexPropsV2> indexes() {
    return request.globalSecondaryIndexes().stream().map(this::index).toList();
  }

  private GlobalSecondaryIndexPropsV2 index(GlobalSecondaryIndex index) {
    GlobalSecondaryIndexPropsV2.Builder props =
        GlobalSecondaryIndexPropsV2.builder()
            .indexName(index.indexName())
            .partitionKey(attribute(key(index.keySchema(), KeyType.HASH)))
            .projectionType(projection(index.projection().projectionType()));
    if (index.keySchema().stream().anyMatch(k -> k.keyType() == KeyType.RANGE)) {
      props.sortKey(attribute(key(index.keySchema(), KeyType.RANGE)));
    }
    return props.build();
  }

  private static software.amazon.awscdk.services.dynamodb.ProjectionType projection(
      ProjectionType type) {
    return switch (type) {
      case ALL -> software.amazon.awscdk.services.dynamodb.ProjectionType.ALL;
      case KEYS_ONLY -> software.amazon.awscdk.services.dynamodb.ProjectionType.KEYS_ONLY;
      default ->
          throw new IllegalStateException(
              "the store asks for a " + type + " projection, which deploy/aws does not translate");
    };
  }

  private Attribute attribute(String name) {
    ScalarAttributeType type = types.get(name);
    if (type == null) {
      throw new IllegalStateException("the store's key attribute " + name + " has no type");
    }
    AttributeType cdkType =
        switch (type) {
          case S -> AttributeType.STRING;
          case N -> AttributeType.NUMBER;
          case B -> AttributeType.BINARY;
          default -> throw new IllegalStateException("unknown attribute type " + type);
        };
    return Attribute.builder().name(name).type(cdkType).build();
  }

  private static String key(List<KeySchemaElement> keys, KeyType type) {
    return keys.stream()
        .filter(k -> k.keyType() == type)
        .map(KeySchemaElement::attributeName)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the store's schema has no " + type + " key"));
  }
}
