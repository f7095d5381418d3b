package dev.inboxpush.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.assertions.Template;

/** Reading synthesized CloudFormation as plain maps and lists. */
final class Cfn {

  private Cfn() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> ? (List<Object>) value : List.of(value);
  }

  /** Resources of {@code type}: logical id → properties. */
  static Map<String, Map<String, Object>> resources(Template template, String type) {
    return template.findResources(type).entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> {
                  Object properties = e.getValue().get("Properties");
                  return properties == null ? Map.of() : map(properties);
                }));
  }

  /** The one resource of {@code type} whose logical id starts with {@code prefix}. */
  static Map<String, Object> one(Template template, String type, String prefix) {
    List<Map<String, Object>> found =
        resources(template, type).entrySet().stream()
            .filter(e -> e.getKey().startsWith(prefix))
            .map(Map.Entry::getValue)
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " " + type + " resources start with " + prefix);
    }
    return found.get(0);
  }

  /**
   * A value as text: plain strings as they are, {@code Fn::Join} joined, {@code Ref} as {@code
   * ${name}}, {@code Fn::GetAtt} as {@code ${resource.attribute}}.
   */
  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    Map<String, Object> m = map(value);
    if (m.containsKey("Fn::Join")) {
      List<Object> join = list(m.get("Fn::Join"));
      List<String> parts = new ArrayList<>();
      for (Object part : list(join.get(1))) {
        parts.add(text(part));
      }
      return String.join((String) join.get(0), parts);
    }
    if (m.containsKey("Ref")) {
      return "${" + m.get("Ref") + "}";
    }
    if (m.containsKey("Fn::GetAtt")) {
      List<Object> att = list(m.get("Fn::GetAtt"));
      return "${" + att.get(0) + "." + att.get(1) + "}";
    }
    return m.toString();
  }
}
