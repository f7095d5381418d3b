package dev.inboxpush.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exit codes: distinct, and the README's table (and --help's list) say what the code does. */
class OutcomeTests {

  private static final Pattern ROW =
      Pattern.compile("^\\| (\\d+) \\| ([^|]+) \\|", Pattern.MULTILINE);

  @Test
  void everyOutcomeHasItsOwnExitCodeFromZeroUp() {
    assertThat(Arrays.stream(Outcome.values()).map(Outcome::exitCode))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, Outcome.values().length).boxed().toList());
  }

  @Test
  void theReadmeTableListsEveryExitCodeWithItsTitle() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("## Diagnose a mailbox");
    assertThat(start).as("the README has a 'Diagnose a mailbox' section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Map<Integer, String> documented = new LinkedHashMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      documented.put(Integer.parseInt(row.group(1)), row.group(2).strip());
    }
    Map<Integer, String> actual =
        Arrays.stream(Outcome.values())
            .collect(
                Collectors.toMap(
                    Outcome::exitCode, Outcome::title, (a, b) -> a, LinkedHashMap::new));
    assertThat(documented).isEqualTo(actual);
  }

  @Test
  void theHelpListsEveryExitCode() {
    String[] listed = Main.class.getAnnotation(picocli.CommandLine.Command.class).exitCodeList();
    assertThat(listed).hasSize(Outcome.values().length);
    for (Outcome outcome : Outcome.values()) {
      assertThat(listed[outcome.exitCode()]).isEqualTo(outcome.exitCode() + ":" + outcome.title());
    }
  }
}
