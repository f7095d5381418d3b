package dev.inboxpush.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.doctor.ews.Ews;
import dev.inboxpush.doctor.ews.EwsResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The command's own exit codes, which need no EWS server or registration service: 2 for bad input
 * (credentials in arguments never echoed, missing ones named), 1 for a failure of the doctor
 * itself; and the prompt, which asks for what the environment does not hold.
 */
class MainTests {

  private static final String SECRET = "hunter2-not-to-be-echoed";

  @Test
  void exit2ForAPasswordGivenAsAnArgumentWhichIsNeverRepeated() {
    Run run =
        run(Map.of(), noTerminal(), "--ews-url", "https://mail.example", "--password=" + SECRET);
    assertThat(run.code).isEqualTo(2);
    assertThat(run.out)
        .contains("credentials are never taken from arguments (--password)")
        .doesNotContain(SECRET);
  }

  @Test
  void exit2ForATokenGivenAsAnArgument() {
    Run run = run(Map.of(), noTerminal(), "--registration-token", SECRET);
    assertThat(run.code).isEqualTo(2);
    assertThat(run.out).doesNotContain(SECRET);
  }

  @Test
  void exit2WhenACredentialIsMissingAndThereIsNoTerminal() {
    Run run =
        run(
            Map.of(Main.EWS_USER, "u", Main.EWS_PASSWORD, SECRET),
            noTerminal(),
            required("https://mail.example/EWS/Exchange.asmx"));
    assertThat(run.code).isEqualTo(2);
    assertThat(run.out)
        .contains(Main.REGISTRATION_TOKEN + " is not set and there is no terminal to ask")
        .doesNotContain(SECRET);
  }

  @Test
  void exit2ForAnInvalidOptionNamingIt() {
    Run run =
        run(
            credentials(),
            noTerminal(),
            append(required("https://mail.example"), "--platform", "windows"));
    assertThat(run.code).isEqualTo(2);
    assertThat(run.out).contains("--platform must be apns or fcm");
  }

  @Test
  void exit2ForAUrlCarryingCredentials() {
    Run run =
        run(credentials(), noTerminal(), required("https://admin:" + SECRET + "@mail.example/EWS"));
    assertThat(run.code).isEqualTo(2);
    assertThat(run.out).contains("--ews-url must not carry credentials");
  }

  @Test
  void exit2ForTestMessageSendWithoutAMailbox() {
    Run run =
        run(
            credentials(),
            noTerminal(),
            append(required("https://mail.example"), "--test-message", "send"));
    assertThat(run.code).isEqualTo(2);
    assertThat(run.out).contains("--mailbox");
  }

  @Test
  void asksForWhatTheEnvironmentLacksThenDiagnoses() throws IOException {
    List<String> asked = new ArrayList<>();
    Main.Prompt prompt =
        new Main.Prompt() {
          @Override
          public String line(String question) {
            asked.add(question);
            return "alice";
          }

          @Override
          public char[] secret(String question) {
            asked.add(question);
            return SECRET.toCharArray();
          }
        };
    Run run =
        run(Map.of(), prompt, required("http://127.0.0.1:" + closedPort() + "/EWS/Exchange.asmx"));
    assertThat(asked)
        .containsExactly(
            "EWS user name (blank for an OAuth2 token): ",
            "EWS password: ",
            "Access token for the registration API: ");
    assertThat(run.code).as(run.out).isEqualTo(Outcome.EWS_UNREACHABLE.exitCode());
    assertThat(run.out).doesNotContain(SECRET);
  }

  @Test
  void exit1WhenTheDoctorItselfFails() throws IOException {
    try (ServerSocket listening = new ServerSocket(0)) {
      Run run =
          command(
              required("http://127.0.0.1:" + listening.getLocalPort() + "/EWS/Exchange.asmx"),
              credentials(),
              noTerminal(),
              (url, credentials, trust, timeout) -> new BrokenEws());
      assertThat(run.code).as(run.out).isEqualTo(1);
      assertThat(run.out)
          .contains("unexpected error")
          .contains("java.lang.IllegalStateException")
          .contains("Result: the doctor itself failed (exit 1)");
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  record Run(int code, String out) {}

  private static Run run(Map<String, String> environment, Main.Prompt prompt, String... args) {
    return command(
        args, environment, prompt, (url, credentials, trust, timeout) -> new BrokenEws());
  }

  private static Run command(
      String[] args, Map<String, String> environment, Main.Prompt prompt, Doctor.EwsFactory ews) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = Main.run(args, environment, prompt, out, out, ews, false);
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> credentials() {
    return Map.of(
        Main.EWS_USER, "u", Main.EWS_PASSWORD, SECRET, Main.REGISTRATION_TOKEN, SECRET + "-jwt");
  }

  private static String[] required(String ewsUrl) {
    return new String[] {
      "--ews-url",
      ewsUrl,
      "--registration-url",
      "http://127.0.0.1:1",
      "--app-id",
      "com.example.mail"
    };
  }

  private static String[] append(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Main.Prompt noTerminal() {
    return new Main.Prompt() {
      @Override
      public @Nullable String line(String prompt) {
        return null;
      }

      @Override
      public char @Nullable [] secret(String prompt) {
        return null;
      }
    };
  }

  /** An EWS client with a bug: the doctor must report it as its own failure, exit 1. */
  private static final class BrokenEws implements Ews {
    @Override
    public EwsResult<Mailbox> openInbox() {
      throw new IllegalStateException("a bug");
    }

    @Override
    public EwsResult<String> subscribe(String inboxFolderId, URI callbackUrl, int statusFrequency) {
      throw new IllegalStateException("a bug");
    }

    @Override
    public EwsResult<Instant> sendTestMessage(String address) {
      throw new IllegalStateException("a bug");
    }

    @Override
    public void close() {}
  }
}
