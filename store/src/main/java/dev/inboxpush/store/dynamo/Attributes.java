package dev.inboxpush.store.dynamo;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing attribute values. Absent attributes read as {@code null}. */
final class Attributes {

  private Attributes() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static AttributeValue bool(boolean value) {
    return AttributeValue.fromBool(value);
  }

  static AttributeValue millis(Instant instant) {
    return n(instant.toEpochMilli());
  }

  /** DynamoDB's TTL wants epoch seconds. */
  static AttributeValue ttl(Instant instant) {
    return n(instant.getEpochSecond());
  }

  static @Nullable String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  static String requiredString(Map<String, AttributeValue> item, String name) {
    String value = string(item, name);
    if (value == null) {
      throw new IllegalStateException("stored item lacks " + name);
    }
    return value;
  }

  static @Nullable Long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? null : Long.parseLong(value.n());
  }

  static @Nullable Instant instant(Map<String, AttributeValue> item, String name) {
    Long value = number(item, name);
    return value == null ? null : Instant.ofEpochMilli(value);
  }

  static Instant requiredInstant(Map<String, AttributeValue> item, String name) {
    Instant value = instant(item, name);
    if (value == null) {
      throw new IllegalStateException("stored item lacks " + name);
    }
    return value;
  }

  static boolean flag(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value != null && Boolean.TRUE.equals(value.bool());
  }
}
