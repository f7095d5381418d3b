package dev.inboxpush.store.dynamo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Builds update and condition expressions with every attribute name and value as a placeholder, so
 * that no attribute name can collide with a DynamoDB reserved word and no value is ever spliced
 * into expression text. A Query's key condition is one too: its conditions only ({@link
 * TableRequests} sends them as the key condition). Not thread-safe; one per request.
 */
final class Expression {

  private final Map<String, String> names = new HashMap<>();
  private final Map<String, String> placeholders = new HashMap<>();
  private final Map<String, AttributeValue> values = new HashMap<>();
  private final List<String> sets = new ArrayList<>();
  private final List<String> removes = new ArrayList<>();
  private final List<String> conditions = new ArrayList<>();

  private String name(String attribute) {
    return placeholders.computeIfAbsent(
        attribute,
        a -> {
          String placeholder = "#n" + names.size();
          names.put(placeholder, a);
          return placeholder;
        });
  }

  private String value(AttributeValue value) {
    String placeholder = ":v" + values.size();
    values.put(placeholder, value);
    return placeholder;
  }

  Expression set(String attribute, AttributeValue value) {
    sets.add(name(attribute) + " = " + value(value));
    return this;
  }

  /**
   * SETs the item's schema version ({@link TableLayout#SCHEMA_VERSION}), once however often it is
   * asked: a retried call builds its request again from the same expression.
   */
  Expression stampSchemaVersion() {
    if (!placeholders.containsKey(TableLayout.ATTR_SCHEMA_VERSION)) {
      set(TableLayout.ATTR_SCHEMA_VERSION, Attributes.n(TableLayout.SCHEMA_VERSION));
    }
    return this;
  }

  Expression increment(String attribute, long by) {
    String n = name(attribute);
    String zero = value(AttributeValue.fromN("0"));
    sets.add(n + " = if_not_exists(" + n + ", " + zero + ") + " + value(Attributes.n(by)));
    return this;
  }

  Expression remove(String attribute) {
    removes.add(name(attribute));
    return this;
  }

  Expression ifExists(String attribute) {
    conditions.add("attribute_exists(" + name(attribute) + ")");
    return this;
  }

  Expression ifNotExists(String attribute) {
    conditions.add("attribute_not_exists(" + name(attribute) + ")");
    return this;
  }

  Expression ifEquals(String attribute, AttributeValue value) {
    conditions.add(name(attribute) + " = " + value(value));
    return this;
  }

  Expression ifAtMost(String attribute, AttributeValue value) {
    conditions.add(name(attribute) + " <= " + value(value));
    return this;
  }

  Expression ifAfter(String attribute, AttributeValue value) {
    conditions.add(name(attribute) + " > " + value(value));
    return this;
  }

  /** Widens the last condition: {@code (last OR a = value)}. */
  Expression orEquals(String attribute, AttributeValue value) {
    return or(name(attribute) + " = " + value(value));
  }

  /** Widens the last condition: {@code (last OR a < value)}. */
  Expression orBefore(String attribute, AttributeValue value) {
    return or(name(attribute) + " < " + value(value));
  }

  private Expression or(String alternative) {
    if (conditions.isEmpty()) {
      throw new IllegalStateException("nothing to widen");
    }
    String last = conditions.remove(conditions.size() - 1);
    conditions.add("(" + last + " OR " + alternative + ")");
    return this;
  }

  /** {@code attribute_not_exists(a) OR a <= value}. */
  Expression ifMissingOrAtMost(String attribute, AttributeValue value) {
    String n = name(attribute);
    conditions.add("(attribute_not_exists(" + n + ") OR " + n + " <= " + value(value) + ")");
    return this;
  }

  /** {@code attribute_not_exists(a) OR a = value}. */
  Expression ifMissingOrEquals(String attribute, AttributeValue value) {
    String n = name(attribute);
    conditions.add("(attribute_not_exists(" + n + ") OR " + n + " = " + value(value) + ")");
    return this;
  }

  @Nullable String updateExpression() {
    StringBuilder text = new StringBuilder();
    if (!sets.isEmpty()) {
      text.append("SET ").append(String.join(", ", sets));
    }
    if (!removes.isEmpty()) {
      text.append(text.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", removes));
    }
    return text.isEmpty() ? null : text.toString();
  }

  @Nullable String conditionExpression() {
    return conditions.isEmpty() ? null : String.join(" AND ", conditions);
  }

  @Nullable Map<String, String> names() {
    return names.isEmpty() ? null : names;
  }

  @Nullable Map<String, AttributeValue> values() {
    return values.isEmpty() ? null : values;
  }
}
