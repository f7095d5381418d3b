package dev.inboxpush.testsupport.dynamo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The settings that point a service at dynalite with a fresh table of its own, for a Spring test's
 * {@code @DynamicPropertySource}:
 *
 * <pre>{@code
 * DynaliteProperties.forTable("callback", Dynalite.shared()).forEach((k, v) -> registry.add(k, () -> v));
 * }</pre>
 */
public final class DynaliteProperties {

  private DynaliteProperties() {}

  /**
   * {@code inboxpush.region} (eu-west-1), the engine's endpoint, a new table named after {@code
   * prefix}, created at start-up.
   */
  public static Map<String, String> forTable(String prefix, Dynalite dynalite) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("inboxpush.region", "eu-west-1");
    properties.put("inboxpush.dynamodb.endpoint", dynalite.endpoint().toString());
    properties.put("inboxpush.dynamodb.table-name", prefix + "-" + UUID.randomUUID());
    properties.put("inboxpush.dynamodb.create-table", "true");
    return properties;
  }
}
