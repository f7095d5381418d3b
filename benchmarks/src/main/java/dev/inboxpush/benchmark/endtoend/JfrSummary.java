package dev.inboxpush.benchmark.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The listener's JFR profile (started with its JVM), summarised: its execution samples taken during
 * the measured listener rounds, by the package group of the top frame ("self"), and by the first
 * frame outside the JDK walking down from the top ("by library": the JDK's crypto under the SDK's
 * signing counts as the SDK's), plus the hottest methods. Immutable once read.
 */
final class JfrSummary {

  /** Package prefixes and the group they count for, first match wins. */
  static final List<Map.Entry<String, String>> GROUPS =
      List.of(
          Map.entry("software.amazon.awssdk.", "AWS SDK"),
          Map.entry("io.netty.", "Netty"),
          Map.entry("reactor.", "Reactor"),
          Map.entry("dev.inboxpush.", "inbox-push (ours)"),
          Map.entry("org.springframework.", "Spring"),
          Map.entry("com.eatthepath.pushy.", "pushy"),
          Map.entry("com.google.", "firebase-admin / Google"),
          Map.entry("tools.jackson.", "Jackson"),
          Map.entry("com.fasterxml.", "Jackson"),
          Map.entry("io.micrometer.", "Micrometer / tracing"),
          Map.entry("brave.", "Micrometer / tracing"),
          Map.entry("ch.qos.logback.", "logging"),
          Map.entry("org.slf4j.", "logging"),
          Map.entry("com.github.benmanes.caffeine.", "Caffeine"),
          Map.entry("io.github.resilience4j.", "Resilience4j"),
          Map.entry("org.bouncycastle.", "Bouncy Castle"),
          Map.entry("java.", "JDK"),
          Map.entry("javax.", "JDK"),
          Map.entry("jdk.", "JDK"),
          Map.entry("sun.", "JDK"),
          Map.entry("com.sun.", "JDK"));

  private final long samples;
  private final Map<String, Long> self;
  private final Map<String, Long> byLibrary;
  private final Map<String, Long> methods;

  private JfrSummary(
      long samples,
      Map<String, Long> self,
      Map<String, Long> byLibrary,
      Map<String, Long> methods) {
    this.samples = samples;
    this.self = self;
    this.byLibrary = byLibrary;
    this.methods = methods;
  }

  static String group(String className) {
    for (Map.Entry<String, String> entry : GROUPS) {
      if (className.startsWith(entry.getKey())) {
        return entry.getValue();
      }
    }
    int second = className.indexOf('.', className.indexOf('.') + 1);
    return second < 0 ? className : className.substring(0, second) + ".*";
  }

  /** Reads {@code file}, keeping the samples inside one of {@code windows} ({from, to} each). */
  static JfrSummary of(Path file, List<Instant[]> windows) {
    Map<String, Long> self = new LinkedHashMap<>();
    Map<String, Long> byLibrary = new LinkedHashMap<>();
    Map<String, Long> methods = new LinkedHashMap<>();
    long samples = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        Instant at = event.getStartTime();
        if (windows.stream().noneMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]))) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        RecordedFrame top = stack.getFrames().get(0);
        String topClass = top.getMethod().getType().getName();
        self.merge(group(topClass), 1L, Long::sum);
        methods.merge(topClass + "." + top.getMethod().getName(), 1L, Long::sum);
        String library = "JDK";
        for (RecordedFrame frame : stack.getFrames()) {
          String g = group(frame.getMethod().getType().getName());
          if (!g.equals("JDK")) {
            library = g;
            break;
          }
        }
        byLibrary.merge(library, 1L, Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the JFR recording " + file, e);
    }
    return new JfrSummary(samples, self, byLibrary, methods);
  }

  String markdown() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%,d execution samples of the listener during its measured rounds (JFR `profile`"
                + " settings, started with the JVM).%n%n",
            samples));
    text.append(
        "| package group | top frame (self) | first frame outside the JDK |\n|---|---|---|\n");
    sorted(byLibrary)
        .forEach(
            (group, count) ->
                text.append(
                    String.format(
                        Locale.ROOT,
                        "| %s | %s | %s |%n",
                        group,
                        share(self.getOrDefault(group, 0L)),
                        share(count))));
    self.keySet().stream()
        .filter(group -> !byLibrary.containsKey(group))
        .forEach(
            group ->
                text.append(
                    String.format(
                        Locale.ROOT, "| %s | %s | – |%n", group, share(self.get(group)))));
    text.append("\nHottest methods (top frame):\n\n| method | samples |\n|---|---|\n");
    sorted(methods).entrySet().stream()
        .limit(15)
        .forEach(
            e ->
                text.append(
                    String.format(
                        Locale.ROOT, "| `%s` | %s |%n", e.getKey(), share(e.getValue()))));
    return text.toString();
  }

  private String share(long count) {
    return String.format(Locale.ROOT, "%.1f%%", samples == 0 ? 0 : 100.0 * count / samples);
  }

  private static Map<String, Long> sorted(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }
}
