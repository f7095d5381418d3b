package dev.inboxpush.local.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.local.readme.ReadmeWalkthrough.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeWalkthroughTests {

  private static ReadmeWalkthrough parse(String markdown) {
    return ReadmeWalkthrough.parse(markdown, "README.md");
  }

  @Test
  void theShBlocksBetweenTheMarkersComeOutInOrderWithTheirLines() {
    ReadmeWalkthrough walkthrough =
        parse(
            """
            # Title

            ```sh
            echo before
            ```

            <!-- walkthrough:begin -->
            Some prose.

            ```sh
            echo one
            ```

            More prose with `inline code` and ```also inline```.

            ```sh
            echo two
              indented stays
            ```
            <!-- walkthrough:end -->

            ```sh
            echo after
            ```
            """);

    assertThat(walkthrough.blocks())
        .containsExactly(
            new Block(10, "echo one\n"), new Block(16, "echo two\n  indented stays\n"));
  }

  @Test
  void blocksOfOtherLanguagesOutsideTheMarkersAreIgnored() {
    ReadmeWalkthrough walkthrough =
        parse(
            """
            ```xml
            <x/>
            ```
            <!-- walkthrough:begin -->
            ```sh
            true
            ```
            <!-- walkthrough:end -->
            ~~~json
            {}
            ~~~
            """);

    assertThat(walkthrough.blocks()).extracting(Block::code).containsExactly("true\n");
  }

  @Test
  void markersInsideCodeBlocksOrInlineDoNotCount() {
    ReadmeWalkthrough walkthrough =
        parse(
            """
            The markers are `<!-- walkthrough:begin -->` and its end.

            ```markdown
            <!-- walkthrough:begin -->
            ```sh
            not this
            ```

            <!-- walkthrough:begin -->
            ````sh
            echo with a fence inside
            ```
            <!-- walkthrough:end -->
            ````
            <!-- walkthrough:end -->
            """);

    assertThat(walkthrough.blocks())
        .containsExactly(
            new Block(10, "echo with a fence inside\n```\n<!-- walkthrough:end -->\n"));
  }

  @Test
  void aMissingBeginMarkerFails() {
    assertThatThrownBy(() -> parse("```sh\necho\n```\n<!-- walkthrough:end -->\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("README.md:4")
        .hasMessageContaining("before any <!-- walkthrough:begin -->");
    assertThatThrownBy(() -> parse("# no walk-through here\n"))
        .hasMessageContaining("no <!-- walkthrough:begin --> line");
  }

  @Test
  void aMissingEndMarkerFails() {
    assertThatThrownBy(() -> parse("<!-- walkthrough:begin -->\n```sh\necho\n```\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "README.md:1: <!-- walkthrough:begin --> is never closed by <!-- walkthrough:end -->");
  }

  @Test
  void nestedOrRepeatedMarkersFail() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    <!-- walkthrough:begin -->
                    <!-- walkthrough:begin -->
                    ```sh
                    echo
                    ```
                    <!-- walkthrough:end -->
                    <!-- walkthrough:end -->
                    """))
        .hasMessageContaining("README.md:2: a second <!-- walkthrough:begin -->")
        .hasMessageContaining("markers do not nest");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    <!-- walkthrough:begin -->
                    ```sh
                    echo
                    ```
                    <!-- walkthrough:end -->
                    <!-- walkthrough:begin -->
                    ```sh
                    echo
                    ```
                    <!-- walkthrough:end -->
                    """))
        .hasMessageContaining("README.md:6: a second <!-- walkthrough:begin -->")
        .hasMessageContaining("exactly one walk-through");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    <!-- walkthrough:begin -->
                    ```sh
                    echo
                    ```
                    <!-- walkthrough:end -->
                    <!-- walkthrough:end -->
                    """))
        .hasMessageContaining("README.md:6: a second <!-- walkthrough:end -->");
  }

  @Test
  void aBlockOfAnotherLanguageInsideFails() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    <!-- walkthrough:begin -->
                    ```sh
                    echo ok
                    ```
                    ```bash
                    echo skipped by a looser reader
                    ```
                    <!-- walkthrough:end -->
                    """))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "README.md:5: a walk-through block must be fenced as ```sh, not ```bash");
    assertThatThrownBy(
            () -> parse("<!-- walkthrough:begin -->\n```\necho\n```\n<!-- walkthrough:end -->\n"))
        .hasMessageContaining("README.md:2:")
        .hasMessageContaining("not without a language");
  }

  @Test
  void anUnclosedBlockOrNoBlockFails() {
    assertThatThrownBy(
            () -> parse("<!-- walkthrough:begin -->\n```sh\necho\n<!-- walkthrough:end -->\n"))
        .hasMessage("README.md:2: this code block is never closed");
    assertThatThrownBy(
            () -> parse("<!-- walkthrough:begin -->\nonly prose\n<!-- walkthrough:end -->\n"))
        .hasMessage("README.md:1: the walk-through has no ```sh block");
  }

  @Test
  void theScriptFailsFastAndNamesTheBlockThatFailed(@TempDir Path dir) throws Exception {
    ReadmeWalkthrough walkthrough =
        parse(
            """
            <!-- walkthrough:begin -->
            ```sh
            echo first
            ```
            ```sh
            false
            echo never printed
            ```
            ```sh
            echo never reached
            ```
            <!-- walkthrough:end -->
            """);

    Path script = walkthrough.writeScript(dir.resolve("walkthrough.sh"));

    assertThat(Files.readString(script)).contains("set -euo pipefail\n");
    Process bash =
        new ProcessBuilder("bash", script.toString())
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile())
            .start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out"))).isEqualTo("first\n");
    assertThat(Files.readString(dir.resolve("err")))
        .isEqualTo("walk-through failed (exit 1) in the block at README.md:5\n");
  }

  /**
   * The repository's README has the walk-through the issue asks for, step by step (the IT that runs
   * it against a started stack lives with the stack).
   */
  @Test
  void theRepositoryReadmeHasTheWholeWalkthrough() {
    ReadmeWalkthrough walkthrough = ReadmeWalkthrough.ofRepository();

    String script = walkthrough.script();
    List<String> steps =
        List.of(
            "grant_type=client_credentials",
            "http://127.0.0.1:8081/v1/registrations",
            "\"platform\":\"apns\"",
            "\"platform\":\"fcm\"",
            "/subscription",
            "local/examples/new-mail.xml",
            "push_of \"$IOS_TOKEN\" 7",
            "push_of \"$ANDROID_TOKEN\" 7",
            "local/examples/heartbeat.xml",
            "http://127.0.0.1:8090/api/devices/apns/$IOS_TOKEN/dead",
            "local/examples/new-mail-2.xml",
            "Unsubscribe",
            "local/examples/subscription-failed.xml",
            "\"kind\":\"graph\"",
            "validationToken=",
            "/graph-subscription",
            "local/examples/graph-new-mail.json forged",
            "wake_of \"$GRAPH_TOKEN\" new-mail",
            "local/examples/graph-subscription-removed.json",
            "wake_of \"$GRAPH_TOKEN\" resubscribe");
    int at = 0;
    for (String step : steps) {
      int found = script.indexOf(step, at);
      assertThat(found).as("%s after position %d of the walk-through", step, at).isNotNegative();
      at = found;
    }
    assertThat(script).contains("http://127.0.0.1:8090/api/pushes");
    assertThat(walkthrough.blocks()).hasSizeGreaterThanOrEqualTo(6);
    assertThat(script).doesNotContain("jq ").doesNotContain("python");
  }
}
