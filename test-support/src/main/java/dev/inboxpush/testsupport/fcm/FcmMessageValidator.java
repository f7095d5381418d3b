package dev.inboxpush.testsupport.fcm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the fake checks in the body of a send before it looks at any script: a JSON object with a
 * {@code message} object holding a non-blank string {@code token}; {@code data}, if present, an
 * object whose values are all strings; {@code android}, if present, an object whose {@code
 * priority} is {@code normal} or {@code high} (or the same in capitals), whose {@code ttl} is a
 * duration such as {@code 3600s} or {@code 0.5s} (at most nine fractional digits) and whose {@code
 * collapse_key} is a string. Anything else in the message, a {@code notification} block for one, is
 * not judged.
 *
 * <p>Stateless and thread-safe. A malformed message is data, not an exception: the answer is the
 * list of field violations, in the order the fields were checked, which {@link GoogleErrors} turns
 * into Google's {@code BadRequest} detail. When the body is not an object or has no message object,
 * that is the one violation reported, as nothing more can be read.
 */
final class FcmMessageValidator {

  private static final Pattern TTL = Pattern.compile("^\\d+(\\.\\d{1,9})?s$");
  private static final Set<String> PRIORITIES = Set.of("normal", "high", "NORMAL", "HIGH");

  /**
   * One field that FCM would refuse.
   *
   * @param field the path of the field as Google names it ({@code message.android.ttl}, {@code
   *     message.data[unread]}), empty for the body as a whole
   * @param description why it is refused
   */
  record FieldViolation(String field, String description) {}

  private FcmMessageValidator() {}

  /**
   * The violations of {@code root}, the body parsed as a JSON object ({@code null} when it was not
   * one); empty when FCM would accept the message.
   */
  static List<FieldViolation> violations(@Nullable Map<String, @Nullable Object> root) {
    List<FieldViolation> violations = new ArrayList<>();
    if (root == null) {
      violations.add(new FieldViolation("", "Invalid JSON payload received: not a JSON object."));
      return violations;
    }
    if (!(root.get("message") instanceof Map<?, ?> rawMessage)) {
      violations.add(new FieldViolation("message", "Required: a message object."));
      return violations;
    }
    Map<String, @Nullable Object> message = cast(rawMessage);
    if (!(message.get("token") instanceof String token) || token.isBlank()) {
      violations.add(
          new FieldViolation("message.token", "The registration token is not a valid FCM token."));
    }
    if (message.containsKey("data")) {
      if (message.get("data") instanceof Map<?, ?> data) {
        data.forEach(
            (key, value) -> {
              if (!(value instanceof String)) {
                violations.add(
                    new FieldViolation(
                        "message.data[" + key + "]",
                        "Invalid value: data values must be strings, got " + describe(value)));
              }
            });
      } else {
        violations.add(new FieldViolation("message.data", "Invalid value: expected an object."));
      }
    }
    if (message.containsKey("android")) {
      if (message.get("android") instanceof Map<?, ?> android) {
        androidViolations(cast(android), violations);
      } else {
        violations.add(new FieldViolation("message.android", "Invalid value: expected an object."));
      }
    }
    return violations;
  }

  private static void androidViolations(
      Map<String, @Nullable Object> android, List<FieldViolation> violations) {
    if (android.containsKey("priority")
        && !(android.get("priority") instanceof String priority && PRIORITIES.contains(priority))) {
      violations.add(
          new FieldViolation(
              "message.android.priority",
              "Invalid value: " + describe(android.get("priority")) + " (normal or high)"));
    }
    if (android.containsKey("ttl")
        && !(android.get("ttl") instanceof String ttl && TTL.matcher(ttl).matches())) {
      violations.add(
          new FieldViolation(
              "message.android.ttl",
              "Invalid value: "
                  + describe(android.get("ttl"))
                  + " (a duration such as \"3600s\")"));
    }
    if (android.containsKey("collapse_key") && !(android.get("collapse_key") instanceof String)) {
      violations.add(
          new FieldViolation(
              "message.android.collapse_key",
              "Invalid value: " + describe(android.get("collapse_key")) + " (a string)"));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> cast(@Nullable Object object) {
    return (Map<String, @Nullable Object>) Objects.requireNonNull(object);
  }

  private static String describe(@Nullable Object value) {
    return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }
}
