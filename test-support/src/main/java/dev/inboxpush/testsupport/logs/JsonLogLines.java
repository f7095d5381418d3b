package dev.inboxpush.testsupport.logs;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Console output of Spring Boot's structured logging (one JSON object per line), parsed, and the
 * W3C Trace Context values a test sends to find its own request's lines. Stateless; thread-safe.
 */
public final class JsonLogLines {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String HARNESS = "dev.inboxpush.testsupport.";

  private JsonLogLines() {}

  /** Every line of {@code output}, parsed; a line that is not one JSON object fails the test. */
  public static List<JsonNode> parse(String output) {
    return output.lines().map(JsonLogLines::parseLine).toList();
  }

  /**
   * The lines of {@code output} written by loggers under {@code prefix} (for example ours), except
   * test-support's own: its launchers (dynalite's reports of slow calls, for one) log on their own
   * threads, outside any request, whenever the engine has something to say.
   */
  public static List<JsonNode> ofLoggers(String output, String prefix) {
    return parse(output).stream()
        .filter(
            line -> {
              String logger = line.path("log").path("logger").asString();
              return logger.startsWith(prefix) && !logger.startsWith(HARNESS);
            })
        .toList();
  }

  /** A random 128-bit trace id, as 32 lower-case hex digits. */
  public static String newTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits(random.nextLong())
        + HexFormat.of().toHexDigits(random.nextLong());
  }

  /** A {@code traceparent} header value of {@code traceId} (version 00, not sampled). */
  public static String traceparent(String traceId) {
    return "00-" + traceId + "-" + HexFormat.of().toHexDigits(7L) + "-00";
  }

  private static JsonNode parseLine(String line) {
    try {
      return JSON.readTree(line);
    } catch (JacksonException e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }
}
