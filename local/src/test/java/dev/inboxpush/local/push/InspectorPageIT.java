package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.ApnsClient;
import com.sun.net.httpserver.HttpServer;
import dev.inboxpush.local.push.PushClients.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push inspector's page in real headless Chromium: {@code browser/inspector-check.mjs}
 * (playwright-core driving Debian's {@code /usr/bin/chromium}) opens the page, calls a trigger URL
 * that this test answers by pushing with pushy, sees the row appear within 2 s without a reload,
 * clicks the device's dead-token control, triggers again and sees the row show {@code
 * Unregistered}, then saves {@code target/inspector.png}.
 *
 * <p>Needs node, {@code browser/node_modules} (the build's {@code npm ci}) and chromium: under
 * {@code CI=true} a missing one fails the test, elsewhere it is skipped saying which is missing.
 */
class InspectorPageIT {

  private static final Path BROWSER = Path.of("browser");
  private static final Path SCREENSHOT = Path.of("target", "inspector.png");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dataDirectory;

  @Test
  void aPushAppearsAndATokenKilledFromThePageIsRefusedNext() throws Exception {
    requireBrowser();
    Files.deleteIfExists(SCREENSHOT);
    String token = LocalPushServerIT.apnsToken();
    try (LocalPushServer server = LocalPushServer.start(PushSettings.onFreePorts(dataDirectory))) {
      ApnsClient client = LocalPushServerIT.apnsClient(server, server.data().signingKey().p8File());
      HttpServer trigger = trigger(client, token);
      try {
        ProcessBuilder check = new ProcessBuilder("node", "inspector-check.mjs");
        // To a file: a full pipe would stall the script.
        Path log = Path.of("target", "inspector-check.log").toAbsolutePath();
        check.directory(BROWSER.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        check.environment().put("INSPECTOR_URL", server.inspectorUri().toString());
        check.environment().put("DEVICE_PLATFORM", "apns");
        check.environment().put("DEVICE_TOKEN", token);
        check
            .environment()
            .put("TRIGGER_URL", "http://127.0.0.1:" + trigger.getAddress().getPort() + "/push");
        check.environment().put("EXPECT_FIRST", "accepted");
        check.environment().put("EXPECT_AFTER_DEAD", "Unregistered");
        check.environment().put("SCREENSHOT", SCREENSHOT.toAbsolutePath().toString());
        Process run = check.start();
        boolean finished = run.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
          run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
          Assertions.fail("the browser check did not finish within 120 s: " + output);
        }
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("\"ok\":true");
      } finally {
        trigger.stop(0);
        PushClients.close(client);
      }

      List<Push> pushes = server.pushes().pushes();
      assertThat(pushes).hasSize(2);
      assertThat(pushes.get(0).rejection()).isEqualTo("Unregistered");
      assertThat(pushes.get(1).accepted()).isTrue();
    }
    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  /**
   * {@code POST /push}: one push with pushy to {@code token}, answered {@code accepted} or {@code
   * rejected <reason>}, so that the script learns what APNs said, as it learns Exchange's answer
   * from the listener in the end-to-end version.
   */
  private static HttpServer trigger(ApnsClient client, String token) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    int[] badge = {0};
    server.createContext(
        "/push",
        exchange -> {
          try (exchange) {
            String answer;
            int status = 200;
            try {
              Outcome outcome =
                  PushClients.push(client, token, PushSettings.DEFAULT_APNS_TOPIC, ++badge[0]);
              answer = outcome.accepted() ? "accepted" : "rejected " + outcome.reason();
            } catch (Exception e) {
              status = 500;
              answer = "cannot push: " + e;
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
    return server;
  }

  /** Fails under CI, skips elsewhere, naming what is missing. */
  private static void requireBrowser() {
    String missing = null;
    if (!Files.isExecutable(CHROMIUM)) {
      missing = CHROMIUM + " (apt-get install chromium)";
    } else if (!Files.isDirectory(BROWSER.resolve("node_modules/playwright-core"))) {
      missing = "local/browser/node_modules/playwright-core (npm ci in local/browser)";
    } else if (!nodeRuns()) {
      missing = "node (Node.js 20+)";
    }
    if (missing == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail("the browser test needs " + missing);
    }
    Assumptions.abort("skipped: the browser test needs " + missing);
  }

  private static boolean nodeRuns() {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
