package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code local/browser/inspector-check.mjs}: playwright-core driving Debian's headless {@code
 * /usr/bin/chromium} through the push inspector's page. The script requests a trigger URL before
 * and after it kills the device's token from the page; {@link #trigger} serves that URL from the
 * test, which causes the push however it likes (pushy straight to the local APNs, or a
 * SendNotification POST through the real listener) and answers with what it learnt.
 *
 * <p>{@link #require()} fails under {@code CI=true} when node, the script's {@code node_modules} or
 * chromium is missing, and skips elsewhere, naming which.
 */
public final class BrowserCheck {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private BrowserCheck() {}

  /** The script's folder, from the local module's directory. */
  static Path folder() {
    return Path.of("browser").toAbsolutePath();
  }

  /** Fails under CI, skips elsewhere, naming what is missing. */
  public static void require() {
    String missing = null;
    if (!Files.isExecutable(CHROMIUM)) {
      missing = CHROMIUM + " (apt-get install chromium)";
    } else if (!Files.isDirectory(folder().resolve("node_modules/playwright-core"))) {
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

  /**
   * Runs the script with {@code environment} (its variables are documented at its top) and fails
   * unless it reports success; its output is kept in {@code log}.
   */
  public static void run(Map<String, String> environment, Path log) throws Exception {
    ProcessBuilder check = new ProcessBuilder("node", "inspector-check.mjs");
    // To a file: a full pipe would stall the script.
    Files.createDirectories(log.toAbsolutePath().getParent());
    check.directory(folder().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    check.environment().putAll(environment);
    Process run = check.start();
    boolean finished = run.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      // Chromium and its helpers first: they would outlive node.
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      Assertions.fail("the browser check did not finish within 120 s: " + output);
    }
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("\"ok\":true");
  }

  /**
   * A loopback HTTP server whose {@code POST /trigger} calls {@code push} and answers its text (500
   * with the exception when it throws). The caller stops it.
   */
  public static com.sun.net.httpserver.HttpServer trigger(Callable<String> push)
      throws IOException {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext(
        "/trigger",
        exchange -> {
          try (exchange) {
            String answer;
            int status = 200;
            try {
              answer = push.call();
            } catch (Exception | AssertionError e) {
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

  /** The URL {@link #trigger} serves. */
  public static String triggerUrl(com.sun.net.httpserver.HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/trigger";
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
