package dev.inboxpush.listener.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LaneReasonTests {

  /**
   * The tags are a public contract (dashboards, alerts, the README): renaming one must fail here.
   * This list is the one place besides {@link LaneReason} that spells them.
   */
  @Test
  void theTagsAreTheDocumentedOnes() {
    assertThat(Arrays.stream(LaneReason.values()).map(LaneReason::tag))
        .containsExactly(
            """
            none
            circuit_open
            queue_full
            timeout
            transport
            shutting_down
            dispatcher_error
            no_outcome
            app_not_configured
            platform_not_configured
            dead_token_valve
            credentials_refused
            throttled
            """
                .lines()
                .toArray(String[]::new));
  }

  @Test
  void tagsAreDistinctLowerCaseMetricTagValues() {
    List<String> tags = Arrays.stream(LaneReason.values()).map(LaneReason::tag).toList();
    assertThat(tags).doesNotHaveDuplicates().allMatch(tag -> tag.matches("[a-z]+(_[a-z]+)*"));
  }

  /**
   * Our own reasons are spelled only in {@link LaneReason}: a string literal equal to one of its
   * tags anywhere else in the listener's sources (main and test) is a copy that can drift. {@code
   * none} is left out: other metrics use the word for their own "no reason". (This test's own list
   * is unquoted.)
   */
  @Test
  void noSourceFileButLaneReasonSpellsOneOfItsTags() throws IOException {
    QuotedTags literals = new QuotedTags();
    List<String> copies = new ArrayList<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(file -> file.toString().endsWith(".java"))
            .filter(file -> !file.getFileName().toString().equals("LaneReason.java"))
            .forEach(file -> copies.addAll(literals.foundIn(file)));
      }
    }
    assertThat(copies).isEmpty();
  }

  /** The quoted tags, and where a file spells one. */
  private static final class QuotedTags {
    private final List<String> quoted =
        Arrays.stream(LaneReason.values())
            .filter(reason -> reason != LaneReason.NONE)
            .map(reason -> '"' + reason.tag() + '"')
            .collect(Collectors.toList());

    List<String> foundIn(Path file) {
      try {
        List<String> lines = Files.readAllLines(file);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          for (String literal : quoted) {
            if (lines.get(i).contains(literal)) {
              found.add(file + ":" + (i + 1) + " spells " + literal);
            }
          }
        }
        return found;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
