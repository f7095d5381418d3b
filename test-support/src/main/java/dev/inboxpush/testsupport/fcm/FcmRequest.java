package dev.inboxpush.testsupport.fcm;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request the fake FCM server received, as it saw it, with the answer it gave. Immutable; the
 * maps are unmodifiable at every level.
 *
 * @param project the {@code {project}} of {@code /v1/projects/{project}/messages:send}, or {@code
 *     null} when the path did not match
 * @param message the parsed {@code "message"} object (JSON objects as maps, arrays as lists,
 *     strings, numbers, booleans, and {@code null}); empty when the body was not a JSON object with
 *     one
 * @param body the raw request body, UTF-8
 * @param protocol the HTTP version, {@code HTTP/2.0} or {@code HTTP/1.1}
 * @param headers the request headers, names in lower case
 * @param status the HTTP status the server answered with
 * @param errorCode the FCM error code answered with (or, when the answer had no FCM error detail,
 *     the Google status such as {@code UNAUTHENTICATED}); {@code null} on success
 */
public record FcmRequest(
    @Nullable String project,
    Map<String, @Nullable Object> message,
    String body,
    String protocol,
    Map<String, List<String>> headers,
    int status,
    @Nullable String errorCode) {

  /** The target registration token, if the message names one as a string. */
  public @Nullable String token() {
    return message.get("token") instanceof String token ? token : null;
  }

  /** The {@code data} object, if present. */
  @SuppressWarnings("unchecked")
  public Map<String, @Nullable Object> data() {
    return message.get("data") instanceof Map<?, ?> data
        ? (Map<String, @Nullable Object>) data
        : Map.of();
  }

  /**
   * The value at {@code path} inside the message ({@code at("android", "ttl")}), or {@code null}
   * when absent.
   */
  public @Nullable Object at(String... path) {
    @Nullable Object current = message;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> object)) {
        return null;
      }
      current = object.get(key);
    }
    return current;
  }

  /** The first value of header {@code name} (any case), or {@code null}. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Whether the server answered 200. */
  public boolean accepted() {
    return status == 200;
  }
}
