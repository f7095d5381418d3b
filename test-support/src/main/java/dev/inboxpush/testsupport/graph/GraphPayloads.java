package dev.inboxpush.testsupport.graph;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the JSON body of a Graph notification POST ({@code {"value":[...]}}) item by item, with
 * the fields Graph sends for Outlook messages: change items carry {@code id}, {@code
 * subscriptionId}, {@code subscriptionExpirationDateTime}, {@code changeType}, {@code resource},
 * {@code clientState}, {@code tenantId} and {@code resourceData}; lifecycle items carry {@code
 * lifecycleEvent} and no resource. Not thread-safe; build, then send.
 */
public final class GraphPayloads {

  /** A tenant id, as any would be: the listener ignores it. */
  public static final String TENANT = "6b0a9d4e-2c3f-4a1b-8e7d-9f0c1b2a3d4e";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter GRAPH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSxxx").withZone(ZoneOffset.UTC);

  private final ObjectNode root = JSON.createObjectNode();
  private final ArrayNode items = root.putArray("value");
  private final String user = UUID.randomUUID().toString();
  private Instant expiresAt = Instant.parse("2030-01-01T00:00:00Z");

  private GraphPayloads() {}

  /** An empty batch; add items. */
  public static GraphPayloads batch() {
    return new GraphPayloads();
  }

  /** The subscriptionExpirationDateTime written on the items added from now on. */
  public GraphPayloads expiringAt(Instant instant) {
    this.expiresAt = instant;
    return this;
  }

  /** A change notification ({@code created}, {@code updated} or {@code deleted}) of a message. */
  public GraphPayloads change(String subscriptionId, String clientState, String changeType) {
    String message = "AAMkAG" + UUID.randomUUID().toString().replace("-", "") + "AAA=";
    String resource = "Users/" + user + "/Messages/" + message;
    ObjectNode item = items.addObject();
    item.put("id", "bm90aWYt" + UUID.randomUUID().toString().substring(0, 8));
    item.put("subscriptionId", subscriptionId);
    item.put("subscriptionExpirationDateTime", GRAPH_TIME.format(expiresAt));
    item.put("changeType", changeType);
    item.put("resource", resource);
    item.put("clientState", clientState);
    item.put("tenantId", TENANT);
    ObjectNode data = item.putObject("resourceData");
    data.put("@odata.type", "#Microsoft.Graph.Message");
    data.put("@odata.id", resource);
    data.put(
        "@odata.etag", "W/\"CQAAABYAAAB" + UUID.randomUUID().toString().substring(0, 8) + "\"");
    data.put("id", message);
    return this;
  }

  /** {@code created}: a new message in the Inbox. */
  public GraphPayloads created(String subscriptionId, String clientState) {
    return change(subscriptionId, clientState, "created");
  }

  /** {@code updated}: a message read, marked unread, flagged... */
  public GraphPayloads updated(String subscriptionId, String clientState) {
    return change(subscriptionId, clientState, "updated");
  }

  /** {@code deleted}: a message deleted or moved out of the Inbox. */
  public GraphPayloads deleted(String subscriptionId, String clientState) {
    return change(subscriptionId, clientState, "deleted");
  }

  /**
   * A lifecycle notification: {@code reauthorizationRequired}, {@code subscriptionRemoved} or
   * {@code missed}.
   */
  public GraphPayloads lifecycle(String subscriptionId, String clientState, String event) {
    ObjectNode item = items.addObject();
    item.put("subscriptionId", subscriptionId);
    item.put("subscriptionExpirationDateTime", GRAPH_TIME.format(expiresAt));
    item.put("tenantId", TENANT);
    item.put("clientState", clientState);
    item.put("lifecycleEvent", event);
    return this;
  }

  /** How many items so far. */
  public int size() {
    return items.size();
  }

  /** The body, UTF-8 JSON. */
  public byte[] build() {
    return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
  }

  /** The body as text. */
  @Override
  public String toString() {
    return new String(build(), StandardCharsets.UTF_8);
  }
}
