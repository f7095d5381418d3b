package dev.inboxpush.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTests {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--devices", "--time-scale", "--failover-url", "Exit codes");
  }

  @Test
  void badValuesExitWith2NamingThem() {
    assertThat(run("--devices", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("devices must be at least 1");
  }

  @Test
  void aFailoverTimeWithoutAListenerIsRefused() {
    assertThat(run("--failover-after", "10s")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--failover-url");
  }

  @Test
  void aBadDurationIsAUsageError() {
    assertThat(run("--duration", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a duration");
  }

  @Test
  void aSystemThatDoesNotAnswerExitsWith3() {
    // Nothing listens on port 9 of 127.0.0.1 (discard): the inspector cannot be read.
    assertThat(run("--inspector-url", "http://127.0.0.1:9", "--devices", "3")).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot set up the run");
  }
}
