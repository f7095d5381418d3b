package dev.inboxpush.listener.graph;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Parses the body of a Graph notification POST, {@code {"value":[{...}, ...]}}, with Jackson's
 * streaming parser under hard limits (nesting depth, string, name and token counts: a hostile body
 * costs bounded work and memory beyond the endpoint's size limit). Reads, per item, the few string
 * fields the answer rules need and skips everything else (resource data, rich notifications'
 * encrypted content, {@code validationTokens}) without building it.
 *
 * <p>Thread-safe: one instance serves every request; each call makes its own parser.
 */
public final class GraphNotificationParser {

  /** Most items accepted in one POST (Graph batches far fewer). */
  public static final int MAX_ITEMS = 1_000;

  private static final int MAX_DEPTH = 16;
  private static final int MAX_STRING = 16 * 1024;
  private static final int MAX_NAME = 256;
  private static final long MAX_TOKENS = 200_000;

  private final JsonFactory factory =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(MAX_STRING)
                  .maxNameLength(MAX_NAME)
                  .maxTokenCount(MAX_TOKENS)
                  .maxNumberLength(64)
                  .build())
          .build();

  /**
   * The batch in {@code body}.
   *
   * @throws GraphParseException when the body is not a notification collection with at least one
   *     item, or breaks a limit
   */
  public GraphBatch parse(byte[] body) throws GraphParseException {
    try (JsonParser json = factory.createParser(ObjectReadContext.empty(), body)) {
      JsonToken first = json.nextToken();
      if (first == null) {
        throw new GraphParseException(GraphParseException.Reason.MALFORMED, "the body is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw notACollection("the body must be a JSON object");
      }
      List<GraphItem> items = null;
      for (String name = json.nextName(); name != null; name = json.nextName()) {
        JsonToken value = json.nextToken();
        if (name.equals("value") && value == JsonToken.START_ARRAY) {
          items = items(json);
        } else {
          json.skipChildren();
        }
      }
      if (json.nextToken() != null) {
        throw new GraphParseException(
            GraphParseException.Reason.MALFORMED, "content after the JSON object");
      }
      if (items == null) {
        throw notACollection("the body has no \"value\" array");
      }
      if (items.isEmpty()) {
        throw notACollection("the \"value\" array is empty");
      }
      return new GraphBatch(items);
    } catch (StreamConstraintsException e) {
      throw new GraphParseException(
          GraphParseException.Reason.LIMIT_EXCEEDED, "the body exceeds the parser's limits", e);
    } catch (JacksonException e) {
      throw new GraphParseException(
          GraphParseException.Reason.MALFORMED, "the body is not well-formed JSON", e);
    }
  }

  private static List<GraphItem> items(JsonParser json) throws GraphParseException {
    List<GraphItem> items = new ArrayList<>();
    for (JsonToken token = json.nextToken();
        token != JsonToken.END_ARRAY;
        token = json.nextToken()) {
      if (token != JsonToken.START_OBJECT) {
        throw notACollection("every item of \"value\" must be an object");
      }
      if (items.size() == MAX_ITEMS) {
        throw new GraphParseException(
            GraphParseException.Reason.LIMIT_EXCEEDED, "more than " + MAX_ITEMS + " items");
      }
      items.add(item(json));
    }
    return items;
  }

  private static GraphItem item(JsonParser json) {
    String subscriptionId = null;
    String clientState = null;
    String changeType = null;
    String lifecycleEvent = null;
    Instant expiresAt = null;
    for (String name = json.nextName(); name != null; name = json.nextName()) {
      JsonToken value = json.nextToken();
      // A known name with a value of the wrong type reads as absent; structures are skipped
      // whole (skipChildren does nothing for a scalar).
      String text = value == JsonToken.VALUE_STRING ? json.getString() : null;
      json.skipChildren();
      switch (name) {
        case "subscriptionId" -> subscriptionId = text;
        case "clientState" -> clientState = text;
        case "changeType" -> changeType = text;
        case "lifecycleEvent" -> lifecycleEvent = text;
        case "subscriptionExpirationDateTime" -> expiresAt = instant(text);
        default -> {
          // resourceData, resource, tenantId, encryptedContent...: not needed, not kept.
        }
      }
    }
    return new GraphItem(subscriptionId, clientState, changeType, lifecycleEvent, expiresAt);
  }

  /** Graph writes offsets ({@code +00:00}) and seven fraction digits; unreadable is absent. */
  private static @Nullable Instant instant(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static GraphParseException notACollection(String message) {
    return new GraphParseException(GraphParseException.Reason.NOT_A_COLLECTION, message);
  }
}
