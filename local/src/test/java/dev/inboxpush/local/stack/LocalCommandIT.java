package dev.inboxpush.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./inbox-push local} as a person runs it, on the README's ports: it reports every process
 * it started; Ctrl-C (SIGINT to the command) stops all of them and frees every port within 15 s;
 * started again on the same data, it serves the registration made before.
 */
class LocalCommandIT {

  private static final Pattern PART =
      Pattern.compile("^\\s+pid (\\d+)\\s+(.+?)\\s+ports ([\\d,]+)$");
  private static final Duration STOPPED_WITHIN = Duration.ofSeconds(15);

  private final Path data = Checkout.dataFolder("local-command-it");
  private Process command;

  @AfterEach
  void stopWhateverIsLeft() throws InterruptedException {
    if (command != null && command.isAlive()) {
      command.destroy();
      command.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void ctrlCStopsEveryProcessAndFreesEveryPortAndARestartFindsTheEarlierRegistration()
      throws Exception {
    Started first = start("--fresh");
    assertThat(first.parts())
        .extracting(Started.Part::name)
        .containsExactly(
            "dynalite", "auth", "push", "registration us-east-1", "listener us-east-1");
    assertThat(first.output())
        .contains("http://127.0.0.1:8081/v1/registrations")
        .contains("http://127.0.0.1:8090/")
        .contains("-d grant_type=client_credentials http://127.0.0.1:9000/oauth2/token")
        .contains("Ctrl-C stops everything");

    StackClient client =
        new StackClient(
            URI.create("http://127.0.0.1:9000"), data.resolve("auth/script-client-secret"));
    URI api = URI.create("http://127.0.0.1:8081");
    String id =
        (String)
            client.registerApns(api, client.scriptToken(), "a1".repeat(32)).get("registrationId");

    interruptAndAwaitEverythingGone(first);

    Started second = start();
    HttpResponse<String> found = client.getRegistration(api, client.scriptToken(), id);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    interruptAndAwaitEverythingGone(second);
  }

  private record Started(List<Part> parts, String output) {
    record Part(long pid, String name, List<Integer> ports) {}
  }

  private Started start(String... extra) throws IOException, InterruptedException {
    List<String> arguments =
        new ArrayList<>(List.of("./inbox-push", "local", "--data", data.toString()));
    arguments.addAll(Arrays.asList(extra));
    command =
        new ProcessBuilder(arguments)
            .directory(Checkout.root().toFile())
            .redirectErrorStream(true)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(command.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ended) {
                // the command exited
              }
            },
            "inbox-push-output");
    reader.setDaemon(true);
    reader.start();

    StringBuilder output = new StringBuilder();
    List<Started.Part> parts = new ArrayList<>();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (!output.toString().contains("Ctrl-C stops everything")) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        assertThat(command.isAlive()).as("the command exited early:\n%s", output).isTrue();
        assertThat(Instant.now()).as("ready in time:\n%s", output).isBefore(deadline);
        continue;
      }
      output.append(line).append('\n');
      Matcher part = PART.matcher(line);
      if (part.matches()) {
        parts.add(
            new Started.Part(
                Long.parseLong(part.group(1)),
                part.group(2),
                Arrays.stream(part.group(3).split(",")).map(Integer::valueOf).toList()));
      }
    }
    return new Started(parts, output.toString());
  }

  private void interruptAndAwaitEverythingGone(Started started) throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(command.pid())).start();
    assertThat(kill.waitFor()).isZero();
    Instant deadline = Instant.now().plus(STOPPED_WITHIN);

    assertThat(command.waitFor(STOPPED_WITHIN.toMillis(), TimeUnit.MILLISECONDS))
        .as("the command ended")
        .isTrue();
    for (Started.Part part : started.parts()) {
      while (ProcessHandle.of(part.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        assertThat(Instant.now())
            .as("%s (pid %d) gone in time", part.name(), part.pid())
            .isBefore(deadline);
        Thread.sleep(100);
      }
      for (int port : part.ports()) {
        while (!LocalFiles.portFree(port)) {
          assertThat(Instant.now())
              .as("port %d of %s free in time", port, part.name())
              .isBefore(deadline);
          Thread.sleep(100);
        }
      }
    }
    assertThat(started.parts().stream().mapToInt(p -> p.ports().size()).sum()).isEqualTo(9);
  }
}
