package dev.inboxpush.testsupport.dynamo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * A dynalite process on a free loopback port: the DynamoDB API for tests and the local run.
 *
 * <p>Lifecycle: {@link #start()} picks a free port, launches {@code node .../dynalite --host
 * 127.0.0.1 --port P}, and returns once dynalite prints that it listens; if another process took
 * the port in between, it tries again with another (dynalite's {@code --port 0} does not pick a
 * free port). {@link #stop()} ends the process, and {@link #restart()} starts it again on the same
 * port (with empty tables: data lives in memory), which is how readiness tests simulate an outage.
 * {@link #shared()} is one instance per JVM, stopped by a shutdown hook and by {@link
 * DynaliteExtension} when the test plan ends.
 *
 * <p>Where dynalite is installed: the system property {@value #HOME_PROPERTY} (the build sets it),
 * else {@code test-support/dynalite} found by walking up from the working directory.
 *
 * <p>Failure: a process that ends by itself (not by {@link #stop()}) is logged as an error, and
 * whatever dynalite prints once it listens (the notes of {@link #nodeCommand}'s prelude, a crash's
 * stack) as warnings, so that a test failing against a dead engine says so.
 *
 * <p>Thread-safe: start, stop and restart are synchronized.
 */
public final class Dynalite implements AutoCloseable {

  /** System property naming the folder that holds dynalite's {@code node_modules}. */
  public static final String HOME_PROPERTY = "inboxpush.dynalite.home";

  private static final Logger log = LoggerFactory.getLogger(Dynalite.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 5;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private static @Nullable Dynalite shared;

  private final Path cli;
  private final @Nullable Path dataDirectory;
  private int port;
  private volatile @Nullable Process process;
  private @Nullable DynamoDbAsyncClient sharedClient;

  private Dynalite(Path cli, @Nullable Path dataDirectory) {
    this.cli = cli;
    this.dataDirectory = dataDirectory;
  }

  /** The JVM-wide instance, started on first use and stopped when the JVM exits. */
  public static synchronized Dynalite shared() {
    Dynalite instance = shared;
    if (instance == null || !instance.isRunning()) {
      instance = start();
      shared = instance;
    }
    return instance;
  }

  /** Starts a new, private dynalite process on a free loopback port. */
  public static Dynalite start() {
    return start(Dynalite::freeLoopbackPort);
  }

  /**
   * Starts on ports from {@code candidates}, moving to the next while one is taken. The process is
   * also ended when the JVM exits, should the caller never close it.
   */
  static Dynalite start(IntSupplier candidates) {
    return start(candidates, null);
  }

  /**
   * Starts a private dynalite that keeps its tables in {@code dataDirectory} (LevelDB on disk), so
   * that {@link #restart()} brings them back: how tests simulate an outage in the middle of work.
   */
  public static Dynalite startPersistent(Path dataDirectory) {
    return start(Dynalite::freeLoopbackPort, dataDirectory);
  }

  private static Dynalite start(IntSupplier candidates, @Nullable Path dataDirectory) {
    Dynalite dynalite = new Dynalite(locateCli(), dataDirectory);
    dynalite.startOnFreePort(candidates);
    Runtime.getRuntime().addShutdownHook(new Thread(dynalite::close, "dynalite-shutdown"));
    return dynalite;
  }

  /** The endpoint to give the AWS SDK's {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The loopback port dynalite listens on. */
  public int port() {
    return port;
  }

  /** A new async client for this engine, with dummy static credentials. The caller closes it. */
  public DynamoDbAsyncClient newClient() {
    return DynamoDbAsyncClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  /**
   * One client for this engine shared by every caller, closed by {@link #close()}. Closing an SDK
   * client takes about two seconds (its event loop's quiet period), so tests share this one rather
   * than opening their own.
   */
  public synchronized DynamoDbAsyncClient sharedClient() {
    DynamoDbAsyncClient client = sharedClient;
    if (client == null) {
      client = newClient();
      sharedClient = client;
    }
    return client;
  }

  /** Whether the process is alive. */
  public synchronized boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** Ends the process; safe to call twice. */
  public synchronized void stop() {
    Process current = process;
    process = null;
    if (current == null) {
      return;
    }
    current.destroy();
    try {
      if (!current.waitFor(5, TimeUnit.SECONDS)) {
        current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      current.destroyForcibly();
    }
    log.info("dynalite on port {} stopped", port);
  }

  /**
   * Starts the process again on the same port, with no tables. Retries briefly while the old socket
   * is released.
   */
  public synchronized void restart() {
    stop();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      try {
        launch(port);
        return;
      } catch (PortTakenException e) {
        last = new IllegalStateException("dynalite could not take port " + port + " again", e);
        sleep(Duration.ofMillis(200));
      }
    }
    throw last;
  }

  /** Stops the process and closes the shared client. */
  @Override
  public synchronized void close() {
    stop();
    DynamoDbAsyncClient client = sharedClient;
    sharedClient = null;
    if (client != null) {
      client.close();
    }
  }

  private synchronized void startOnFreePort(IntSupplier candidates) {
    PortTakenException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int candidate = candidates.getAsInt();
      try {
        launch(candidate);
        return;
      } catch (PortTakenException e) {
        log.info("port {} was taken before dynalite bound it; trying another", candidate);
        last = e;
      }
    }
    throw new IllegalStateException(
        "dynalite could not bind a free loopback port in " + START_ATTEMPTS + " attempts", last);
  }

  /**
   * Runs dynalite's cli.js (the first argument) with two additions, both printed to its output
   * (which {@link #pump} logs as warnings):
   *
   * <ul>
   *   <li>An aborted request is no longer fatal: dynalite rethrows a request's {@code error} event,
   *       so a client that gives up on a request mid-way (the AWS SDK's timeouts on a loaded
   *       machine) would kill the whole engine with {@code ECONNRESET}. Only that is ignored.
   *   <li>A watch on answer times: a request answered after more than a second, or unanswered for
   *       more than two, is reported with its operation and age, and so is any stall of Node's own
   *       event loop over half a second, so that a test whose table call timed out tells whether
   *       the engine was slow, stalled or never saw the call.
   * </ul>
   */
  private static final String NODE_PRELUDE =
      String.join(
          "\n",
          "process.on('uncaughtException', e => {",
          "  if (e && e.code === 'ECONNRESET') {",
          "    console.error('dynalite: a client aborted a request: ' + e.message); return; }",
          "  console.error(e && e.stack ? e.stack : e); process.exit(1); });",
          "const http = require('http'), open = new Set(), createServer = http.createServer;",
          "http.createServer = function (...args) {",
          "  const server = createServer.apply(this, args);",
          "  server.on('request', (req, res) => {",
          "    const call = { operation: String(req.headers['x-amz-target'] || req.method),",
          "      at: Date.now(), reported: false };",
          "    open.add(call);",
          "    res.on('close', () => {",
          "      open.delete(call);",
          "      const took = Date.now() - call.at;",
          "      if (took > 1000 || call.reported) console.error('dynalite: ' + call.operation",
          "        + (res.writableFinished ? ' answered' : ' closed unanswered') + ' after '",
          "        + took + ' ms'); }); });",
          "  return server; };",
          "let tick = Date.now();",
          "setInterval(() => {",
          "  const now = Date.now();",
          "  if (now - tick > 750) console.error('dynalite: its event loop stalled for '",
          "    + (now - tick - 250) + ' ms');",
          "  tick = now;",
          "  for (const call of open) if (!call.reported && now - call.at > 2000) {",
          "    call.reported = true;",
          "    console.error('dynalite: ' + call.operation + ' unanswered after '",
          "      + (now - call.at) + ' ms, ' + open.size + ' open'); } }, 250).unref();",
          "require(process.argv[1]);");

  /**
   * The start of a command line that runs dynalite's {@code cli} under Node with that prelude; the
   * caller appends dynalite's options. Also how {@code local.stack.LocalStack} starts it.
   */
  public static List<String> nodeCommand(Path cli) {
    return List.of("node", "-e", NODE_PRELUDE, "--", cli.toString());
  }

  private void launch(int candidatePort) {
    List<String> command = new ArrayList<>(nodeCommand(cli));
    command.add("--host");
    command.add("127.0.0.1");
    command.add("--port");
    command.add(Integer.toString(candidatePort));
    // Tables become ACTIVE at once; callers still use the SDK waiter, as against real DynamoDB.
    command.add("--createTableMs");
    command.add("0");
    command.add("--deleteTableMs");
    command.add("0");
    command.add("--updateTableMs");
    command.add("0");
    if (dataDirectory != null) {
      command.add("--path");
      command.add(dataDirectory.toString());
    }
    Process started;
    try {
      started = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not run `node` to start dynalite; is Node.js 20+ on the PATH?", e);
    }
    CompletableFuture<Boolean> listening = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> pump(started.getInputStream(), listening, output),
            "dynalite-output-" + THREADS.incrementAndGet());
    reader.setDaemon(true);
    reader.start();
    try {
      listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      started.destroyForcibly();
      String printed;
      synchronized (output) {
        printed = output.toString();
      }
      if (printed.contains("EADDRINUSE")) {
        throw new PortTakenException(printed);
      }
      throw new IllegalStateException(
          "dynalite did not start on port " + candidatePort + "; it printed: " + printed, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.destroyForcibly();
      throw new IllegalStateException("interrupted while starting dynalite", e);
    }
    this.port = candidatePort;
    this.process = started;
    log.info("dynalite listening on 127.0.0.1:{}", candidatePort);
    started
        .onExit()
        .thenAccept(
            ended -> {
              if (isCurrent(ended)) {
                log.error(
                    "dynalite on port {} exited by itself (code {}); calls to it now fail",
                    candidatePort,
                    ended.exitValue());
              }
            });
  }

  /**
   * Whether {@code ended} is the process this instance still runs, not one it stopped. Unlocked: it
   * runs on the common pool, which must not wait out a restart.
   */
  private boolean isCurrent(Process ended) {
    return process == ended;
  }

  private static void pump(
      InputStream stream, CompletableFuture<Boolean> listening, StringBuilder output) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.contains("listening at")) {
          listening.complete(true);
        } else if (!listening.isDone()) {
          synchronized (output) {
            if (output.length() < 8192) {
              output.append(line).append('\n');
            }
          }
        } else {
          // Once listening, dynalite prints nothing of its own: what comes is the prelude's note
          // or a crash's stack, which a failing test's log must show.
          log.warn("dynalite: {}", line);
        }
      }
    } catch (IOException e) {
      // The process ended; the future below reports it.
    }
    listening.completeExceptionally(new IllegalStateException("dynalite exited"));
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static Path locateCli() {
    String configured = System.getProperty(HOME_PROPERTY);
    List<Path> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("test-support").resolve("dynalite"));
    }
    for (Path home : candidates) {
      Path cli = home.resolve("node_modules").resolve("dynalite").resolve("cli.js");
      if (Files.isRegularFile(cli)) {
        return cli;
      }
    }
    throw new IllegalStateException(
        "dynalite is not installed: run `npm ci` in test-support/dynalite (the Maven build does this"
            + " on a fresh checkout), or point -D"
            + HOME_PROPERTY
            + " at the folder holding its node_modules. Looked in "
            + candidates);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** dynalite exited because its port was in use. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String output) {
      super("dynalite reported EADDRINUSE: " + output);
    }
  }
}
