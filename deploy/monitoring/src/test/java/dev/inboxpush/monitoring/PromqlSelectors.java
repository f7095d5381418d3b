package dev.inboxpush.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The vector selectors of a PromQL expression ({@code name{matchers}}), found by a tokenizer: this
 * Prometheus (2.42) has no {@code /api/v1/parse_query}, and no Java PromQL parser is at hand. Meant
 * for Prometheus's own canonical form ({@code /api/v1/format_query}, which also proves the
 * expression parses), it still reads any valid expression: it skips string literals, range and
 * subquery brackets, numbers and durations, keywords, the label lists of {@code by}, {@code
 * without}, {@code on}, {@code ignoring} and {@code group_left/right}, and names followed by {@code
 * (} (functions) or that are aggregation operators. What is left is a metric name, with the
 * matchers in braces after it if any; a bare {@code {...}} is a selector without a name.
 *
 * <p>Stateless; {@link #of} is thread-safe.
 */
final class PromqlSelectors {

  /**
   * One vector selector.
   *
   * @param name its metric name, or empty when it has only matchers
   * @param matchers the braces and what is in them, as written, or empty
   */
  record Selector(String name, String matchers) {

    /** The selector as PromQL, e.g. for the series API's {@code match[]}. */
    String text() {
      return name + matchers;
    }
  }

  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  private PromqlSelectors() {}

  /**
   * Every vector selector of {@code expr}, in order of appearance (repeats included).
   *
   * @throws IllegalArgumentException when a string, bracket or brace is not closed
   */
  static List<Selector> of(String expr) {
    List<Selector> selectors = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '[') {
        i = closing(expr, i, '[', ']') + 1;
      } else if (c == '{') {
        int end = closing(expr, i, '{', '}');
        selectors.add(new Selector("", expr.substring(i, end + 1)));
        i = end + 1;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        i = skipNumber(expr, i);
      } else if (identifierStart(c)) {
        int end = i + 1;
        while (end < n && identifierPart(expr.charAt(end))) {
          end++;
        }
        String word = expr.substring(i, end);
        int next = skipSpace(expr, end);
        char after = next < n ? expr.charAt(next) : '\0';
        String lower = word.toLowerCase(Locale.ROOT);
        if (GROUPING.contains(lower)) {
          i = after == '(' ? closing(expr, next, '(', ')') + 1 : end;
        } else if (KEYWORDS.contains(lower) || AGGREGATIONS.contains(lower) || after == '(') {
          i = end;
        } else if (after == '{') {
          int close = closing(expr, next, '{', '}');
          selectors.add(new Selector(word, expr.substring(next, close + 1)));
          i = close + 1;
        } else {
          selectors.add(new Selector(word, ""));
          i = end;
        }
      } else {
        i++;
      }
    }
    return selectors;
  }

  private static boolean identifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean identifierPart(char c) {
    return identifierStart(c) || (c >= '0' && c <= '9');
  }

  private static int skipSpace(String expr, int i) {
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Past a number or duration: 14.4, 1e-3, 0x1f, 5m, 1h30m. */
  private static int skipNumber(String expr, int i) {
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      boolean exponentSign =
          (c == '+' || c == '-') && (expr.charAt(i - 1) == 'e' || expr.charAt(i - 1) == 'E');
      if (identifierPart(c) || c == '.' || exponentSign) {
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  /** Past the string literal opening at {@code start} (backslash escapes but in raw strings). */
  private static int skipString(String expr, int start) {
    char quote = expr.charAt(start);
    for (int i = start + 1; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unclosed string at " + start + " in " + expr);
  }

  /** The index of the bracket closing the one at {@code start}, strings inside skipped. */
  private static int closing(String expr, int start, char open, char close) {
    int depth = 0;
    for (int i = start; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i) - 1;
      } else if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed " + open + " at " + start + " in " + expr);
  }
}
