package dev.inboxpush.local.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.local.stack.StackOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's walk-through, its own fenced commands extracted from README.md, run by bash against
 * the stack started as {@code ./inbox-push local --fresh} starts it (the README's ports). The
 * commands use paths relative to the repository root ({@code .local/...}, {@code local/examples/});
 * they run in a folder of the build where {@code local} links to the repository's and {@code
 * .local} is this test's own data, so that a person's {@code .local} is never touched.
 */
class ReadmeWalkthroughIT {

  private static Path workingDirectory;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    Path root = ReadmeWalkthrough.repositoryRoot();
    workingDirectory = root.resolve("local/target/readme-walkthrough-it");
    Files.createDirectories(workingDirectory);
    Path examples = workingDirectory.resolve("local");
    if (!Files.isSymbolicLink(examples)) {
      Files.createSymbolicLink(examples, root.resolve("local"));
    }
    stack =
        LocalStack.start(
            StackOptions.defaults(root)
                .withDataRoot(workingDirectory.resolve(".local"))
                .withFresh(true));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theReadmesWalkThroughRunsFromATokenToABadgeAndAnUnsubscribe() throws Exception {
    Path script =
        ReadmeWalkthrough.ofRepository().writeScript(workingDirectory.resolve("walkthrough.sh"));
    Path output = workingDirectory.resolve("walkthrough.out");
    Process bash =
        new ProcessBuilder("bash", script.toString())
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean ended = bash.waitFor(3, TimeUnit.MINUTES);
    if (!ended) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(ended).as("the walk-through ended in time: %s", printed).isTrue();
    assertThat(bash.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("iOS, new mail: OK")
        .contains("Android, new mail: OK")
        .contains("iOS, new mail after the token died: Unsubscribe")
        .contains("Android registration: subscription-error")
        .contains("notification URL validated: Validation: local+check")
        .contains("lifecycle URL validated: Validation: local+check")
        .contains("Graph, forged notification: 202")
        .contains("Graph, new mail: 202")
        .contains("Graph registration: subscription-removed");
  }
}
