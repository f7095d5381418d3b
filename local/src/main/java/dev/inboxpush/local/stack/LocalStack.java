package dev.inboxpush.local.stack;

import dev.inboxpush.model.Region;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole system on 127.0.0.1, each part in its own process: dynalite (its tables on disk), the
 * local authorization server, the local APNs/FCM peer with its push inspector, and per region a
 * registration service and a listener from their own jars (extracted first, as Spring Boot
 * recommends for deployments: {@link Extracted}). The services get the environment variables a
 * production deployment sets (issuer, JWK set, owner-hash key, table endpoint, APNs and FCM
 * settings); nothing in them knows it runs locally.
 *
 * <p>Lifecycle: {@link #start} checks that every port is free, starts the peers in parallel, then
 * the services once the table and the push peer answer, and returns when every part reports ready
 * (the services on their management port's readiness probe); a part that exits or is not ready in
 * time stops everything started so far and fails with the end of its log. {@link #close} stops all
 * of them (SIGTERM, in parallel; SIGKILL for whatever is left after {@link #STOP_GRACE}); it is
 * idempotent, and a JVM shutdown hook calls it too, so Ctrl-C in a terminal leaves nothing behind.
 *
 * <p>Data: everything is kept under {@link StackOptions#dataRoot()}, one folder per part, so that a
 * second start serves the registrations of the first; {@link StackOptions#fresh()} deletes those
 * folders first. Each process's output is in {@code logs/<part>.log}.
 *
 * <p>Thread-safety: start and close are synchronized; the accessors read immutable state.
 */
public final class LocalStack implements AutoCloseable {

  /** The APNs topic (bundle id) the local run's iOS app uses. */
  public static final String APNS_TOPIC = "dev.inboxpush.example";

  /** The Firebase project the local run's Android app uses. */
  public static final String FCM_PROJECT = "inboxpush-local";

  /** The provider-token key id of the local APNs signing key. */
  public static final String APNS_KEY_ID = "LOCALKEY01";

  /** The team of the local APNs signing key (the local APNs trusts this team only). */
  public static final String APNS_TEAM_ID = "TEAM000001";

  /** How long a part may take to stop after SIGTERM before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private static final List<String> CHILD_JVM_OPTIONS =
      List.of(
          // A local run favours start-up over peak throughput: C1 only, one small serial heap.
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m");

  private final StackOptions options;
  private final Parts processes;
  private final Thread hook;
  private final Duration startedIn;
  private volatile boolean closed;

  private LocalStack(StackOptions options, Parts processes, Thread hook, Duration startedIn) {
    this.options = options;
    this.processes = processes;
    this.hook = hook;
    this.startedIn = startedIn;
  }

  /**
   * Starts every part and waits until all are ready.
   *
   * @throws IllegalStateException when a port is taken, a part fails to start or is not ready
   *     within {@link StackOptions#readyWithin()}; whatever had started is stopped
   */
  public static LocalStack start(StackOptions options) {
    Instant begin = Instant.now();
    Instant deadline = begin.plus(options.readyWithin());
    checkPortsFree(options.ports());
    Path data = options.dataRoot();
    if (options.fresh()) {
      for (String part : List.of("dynamo", "auth", "push", "registration")) {
        deleteTree(data.resolve(part));
      }
    }
    createDirectories(data.resolve("dynamo"));
    Map<String, String> base = baseEnvironment();
    options = options.withArtifacts(extracted(options.artifacts()));
    Parts started = new Parts();
    // From the first process on: Ctrl-C during the start stops what has started, and no later
    // launch.
    Thread hook = new Thread(started::stop, "local-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      LocalProcess dynamo = started.launch(dynalite(options), base);
      LocalProcess auth = started.launch(authServer(options), base);
      LocalProcess push = started.launch(pushPeer(options), base);
      awaitAll(List.of(dynamo, push), deadline);
      String ownerHashKey = LocalSecrets.ownerHashKey(data.resolve("registration"));
      List<LocalProcess> services = new ArrayList<>();
      for (Region region : options.regions()) {
        services.add(started.launch(registration(options, region, ownerHashKey), base));
        services.add(started.launch(listener(options, region), base));
      }
      services.add(auth);
      awaitAll(services, deadline);
      return new LocalStack(options, started, hook, Duration.between(begin, Instant.now()));
    } catch (RuntimeException e) {
      started.stop();
      removeHook(hook);
      throw e;
    }
  }

  /** How long {@link #start} took until every part was ready. */
  public Duration startedIn() {
    return startedIn;
  }

  public StackOptions options() {
    return options;
  }

  /** The registration API's base URL in {@code region}, e.g. {@code http://127.0.0.1:8081}. */
  public URI registrationUrl(Region region) {
    return loopback(options.ports().regions().get(region).registration());
  }

  /** The registration service's management (Actuator) base URL in {@code region}. */
  public URI registrationManagementUrl(Region region) {
    return loopback(options.ports().regions().get(region).registrationManagement());
  }

  /** The listener's base URL in {@code region}: callback URLs are this plus /ews/v1/{token}. */
  public URI listenerUrl(Region region) {
    return loopback(options.ports().regions().get(region).listener());
  }

  /** The listener's management (Actuator) base URL in {@code region}. */
  public URI listenerManagementUrl(Region region) {
    return loopback(options.ports().regions().get(region).listenerManagement());
  }

  /** The authorization server's issuer, which is also its base URL. */
  public URI issuer() {
    return loopback(options.ports().auth());
  }

  /** The push inspector's page; its JSON is under {@code /api/}. */
  public URI inspectorUrl() {
    return loopback(options.ports().inspector());
  }

  /** The table's endpoint (dynalite). */
  public URI dynamoEndpoint() {
    return loopback(options.ports().dynamo());
  }

  /** The file holding the script client's secret ({@code inboxpush-script}). */
  public Path scriptClientSecretFile() {
    return options.dataRoot().resolve("auth/script-client-secret");
  }

  /** Every process started, in start order, with its pid, ports and log file. */
  public List<Part> parts() {
    return processes.snapshot().stream()
        .map(p -> new Part(p.name(), p.pid(), p.ports(), p.logFile()))
        .toList();
  }

  /**
   * One started process.
   *
   * @param name e.g. {@code dynalite}, {@code listener us-east-1}
   * @param pid its process id
   * @param ports the ports it listens on
   * @param log where its output goes
   */
  public record Part(String name, long pid, List<Integer> ports, Path log) {}

  /**
   * Kills the part named {@code name} (SIGKILL, as a crash or an OOM killer would) and waits until
   * it is gone; {@link #restart} starts it again. For fault runs.
   *
   * @throws IllegalArgumentException when no part has that name
   */
  public void kill(String name) {
    processes.find(name).kill();
  }

  /**
   * Stops the part named {@code name} as an orchestrator would (SIGTERM: a service shuts down
   * gracefully), waiting up to {@link #STOP_GRACE}, then killing it.
   */
  public void stop(String name) {
    LocalProcess process = processes.find(name);
    process.requestStop();
    process.awaitStop(STOP_GRACE);
  }

  /**
   * Starts a stopped or killed part again (same command, environment, ports and data; its output
   * appended to its log) and returns once it is ready, within {@link StackOptions#readyWithin()}.
   */
  public void restart(String name) {
    LocalProcess process = processes.find(name);
    processes.restart(process, baseEnvironment());
    process.awaitReady(Instant.now().plus(options.readyWithin()));
  }

  /** Whether {@link #close} has been called (it may still be stopping the parts). */
  public boolean isClosed() {
    return closed;
  }

  /** Stops every part; see the class comment. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    processes.stop();
    removeHook(hook);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }

  /**
   * The processes of one start. A shutdown hook may stop them while the start is still launching
   * more: once {@link #stop} has begun, {@link #launch} refuses, so that no process is started
   * after the others were stopped. Thread-safe.
   */
  private static final class Parts {

    private final List<LocalProcess> started = new ArrayList<>();
    private boolean stopping;

    synchronized LocalProcess launch(LocalProcess process, Map<String, String> base) {
      if (stopping) {
        throw new IllegalStateException(
            "the local run is stopping: " + process.name() + " not started");
      }
      started.add(process.start(base));
      return process;
    }

    synchronized List<LocalProcess> snapshot() {
      return List.copyOf(started);
    }

    synchronized LocalProcess find(String name) {
      return started.stream()
          .filter(process -> process.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no part is named " + name));
    }

    synchronized void restart(LocalProcess process, Map<String, String> base) {
      if (stopping) {
        throw new IllegalStateException(
            "the local run is stopping: " + process.name() + " not restarted");
      }
      process.restart(base);
    }

    /** SIGTERM to all, in reverse start order, then waits; SIGKILL after {@link #STOP_GRACE}. */
    void stop() {
      List<LocalProcess> reversed;
      synchronized (this) {
        stopping = true;
        reversed = new ArrayList<>(started);
      }
      java.util.Collections.reverse(reversed);
      reversed.forEach(LocalProcess::requestStop);
      Instant until = Instant.now().plus(STOP_GRACE);
      for (LocalProcess process : reversed) {
        Duration left = Duration.between(Instant.now(), until);
        process.awaitStop(left.isNegative() ? Duration.ZERO : left);
      }
    }
  }

  /** The three jars extracted (in parallel), which starts each JVM about three times faster. */
  private static Artifacts extracted(Artifacts artifacts) {
    CompletableFuture<Path> registration =
        CompletableFuture.supplyAsync(() -> Extracted.of(artifacts.registrationJar()));
    CompletableFuture<Path> listener =
        CompletableFuture.supplyAsync(() -> Extracted.of(artifacts.listenerJar()));
    CompletableFuture<Path> local =
        CompletableFuture.supplyAsync(() -> Extracted.of(artifacts.localJar()));
    try {
      return new Artifacts(
          registration.join(), listener.join(), local.join(), artifacts.dynaliteCli());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void awaitAll(List<LocalProcess> parts, Instant deadline) {
    List<CompletableFuture<Void>> waits =
        parts.stream().map(p -> CompletableFuture.runAsync(() -> p.awaitReady(deadline))).toList();
    try {
      CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static LocalProcess dynalite(StackOptions options) {
    int port = options.ports().dynamo();
    // Under Node with test-support's prelude: an aborted request no longer kills the engine, and
    // slow or unanswered calls and stalls are reported in its output.
    List<String> command = new ArrayList<>(Dynalite.nodeCommand(options.artifacts().dynaliteCli()));
    command.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--path",
            options.dataRoot().resolve("dynamo").toString(),
            // Tables become ACTIVE at once; the services still wait for it, as on DynamoDB.
            "--createTableMs",
            "0"));
    // dynalite answers a GET of "/" with 200 once it listens.
    return new LocalProcess(
        "dynalite", command, Map.of(), log(options, "dynalite"), List.of(port), loopback(port));
  }

  private static LocalProcess authServer(StackOptions options) {
    int port = options.ports().auth();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LOCAL_AUTH_PORT", Integer.toString(port));
    env.put("LOCAL_AUTH_ADDRESS", "127.0.0.1");
    env.put("LOCAL_AUTH_DATA_DIR", options.dataRoot().resolve("auth").toString());
    return new LocalProcess(
        "auth",
        java(options, "auth", options.artifacts().localJar(), "auth"),
        environment(options, "auth", env),
        log(options, "auth"),
        List.of(port),
        loopback(port).resolve("/.well-known/openid-configuration"));
  }

  private static LocalProcess pushPeer(StackOptions options) {
    StackPorts ports = options.ports();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LOCAL_PUSH_ADDRESS", "127.0.0.1");
    env.put("LOCAL_PUSH_DATA_DIR", options.dataRoot().resolve("push").toString());
    env.put("LOCAL_APNS_PORT", Integer.toString(ports.apns()));
    env.put("LOCAL_FCM_PORT", Integer.toString(ports.fcm()));
    env.put("LOCAL_INSPECTOR_PORT", Integer.toString(ports.inspector()));
    env.put("LOCAL_APNS_TOPICS", APNS_TOPIC);
    env.put("LOCAL_APNS_KEY_ID", APNS_KEY_ID);
    env.put("LOCAL_FCM_PROJECTS", FCM_PROJECT);
    return new LocalProcess(
        "push",
        java(options, "push", options.artifacts().localJar(), "push"),
        environment(options, "push", env),
        log(options, "push"),
        List.of(ports.apns(), ports.fcm(), ports.inspector()),
        loopback(ports.inspector()).resolve("/health"));
  }

  private static LocalProcess registration(
      StackOptions options, Region region, String ownerHashKey) {
    StackPorts.RegionPorts ports = options.ports().regions().get(region);
    Map<String, String> env = serviceEnvironment(options, region);
    env.put("PORT", Integer.toString(ports.registration()));
    env.put("MANAGEMENT_PORT", Integer.toString(ports.registrationManagement()));
    // The issuer alone: the keys are discovered from its discovery document, as in production.
    env.put(
        "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI",
        loopback(options.ports().auth()).toString());
    env.put("INBOXPUSH_REGISTRATION_LISTENER_BASE_URL", loopback(ports.listener()).toString());
    env.put("INBOXPUSH_REGISTRATION_OWNER_HASH_KEY", ownerHashKey);
    return new LocalProcess(
        "registration " + region.code(),
        java(options, "registration", options.artifacts().registrationJar()),
        environment(options, "registration", env),
        log(options, "registration-" + region.code()),
        List.of(ports.registration(), ports.registrationManagement()),
        readiness(ports.registrationManagement()));
  }

  private static LocalProcess listener(StackOptions options, Region region) {
    StackPorts.RegionPorts ports = options.ports().regions().get(region);
    Path push = options.dataRoot().resolve("push");
    String ca = push.resolve("ca.pem").toString();
    Map<String, String> env = serviceEnvironment(options, region);
    env.put("PORT", Integer.toString(ports.listener()));
    env.put("MANAGEMENT_PORT", Integer.toString(ports.listenerManagement()));
    env.put("INBOXPUSH_APNS_APPS_0_TOPIC", APNS_TOPIC);
    env.put("INBOXPUSH_APNS_APPS_0_TOKEN_KEYFILE", push.resolve("apns-signing-key.p8").toString());
    env.put("INBOXPUSH_APNS_APPS_0_TOKEN_KEYID", APNS_KEY_ID);
    env.put("INBOXPUSH_APNS_APPS_0_TOKEN_TEAMID", APNS_TEAM_ID);
    for (String environment : List.of("PRODUCTION", "SANDBOX")) {
      env.put("INBOXPUSH_APNS_" + environment + "_HOST", "127.0.0.1");
      env.put("INBOXPUSH_APNS_" + environment + "_PORT", Integer.toString(options.ports().apns()));
    }
    env.put("INBOXPUSH_APNS_TRUSTEDSERVERCERTIFICATES", ca);
    env.put("INBOXPUSH_FCM_PROJECTS_0_PROJECTID", FCM_PROJECT);
    env.put(
        "INBOXPUSH_FCM_PROJECTS_0_CREDENTIALSFILE",
        push.resolve("fcm-service-account-" + FCM_PROJECT + ".json").toString());
    env.put("INBOXPUSH_FCM_BASEURL", "https://127.0.0.1:" + options.ports().fcm());
    env.put("INBOXPUSH_FCM_TRUSTEDSERVERCERTIFICATES", ca);
    if (!options.tableEndpoints().containsKey(region)) {
      // The region reads the one shared dynalite: nothing replicates, so an absence is final at
      // once. A region on a replica of its own keeps the default allowance.
      env.put("INBOXPUSH_LISTENER_ANSWER_REPLICATIONALLOWANCE", "0s");
    }
    return new LocalProcess(
        "listener " + region.code(),
        java(options, "listener", options.artifacts().listenerJar()),
        environment(options, "listener", env),
        log(options, "listener-" + region.code()),
        List.of(ports.listener(), ports.listenerManagement()),
        readiness(ports.listenerManagement()));
  }

  /**
   * What both services of a region share: loopback only, the region and the table (the shared
   * dynalite, or the region's own replica).
   */
  private static Map<String, String> serviceEnvironment(StackOptions options, Region region) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SERVER_ADDRESS", "127.0.0.1");
    env.put("MANAGEMENT_ADDRESS", "127.0.0.1");
    env.put("INBOXPUSH_REGION", region.code());
    env.put(
        "INBOXPUSH_DYNAMODB_ENDPOINT",
        options
            .tableEndpoints()
            .getOrDefault(region, loopback(options.ports().dynamo()))
            .toString());
    env.put("INBOXPUSH_DYNAMODB_CREATETABLE", "true");
    return env;
  }

  /** {@code env} with what {@link StackOptions#overrides} sets for {@code kind} over it. */
  private static Map<String, String> environment(
      StackOptions options, String kind, Map<String, String> env) {
    StackOptions.PartOverrides overrides = options.overrides().get(kind);
    if (overrides == null) {
      return env;
    }
    Map<String, String> changed = new LinkedHashMap<>(env);
    changed.putAll(overrides.environment());
    return changed;
  }

  private static List<String> java(
      StackOptions options, String kind, Path jar, String... arguments) {
    StackOptions.PartOverrides overrides = options.overrides().get(kind);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        overrides == null || overrides.jvmOptions().isEmpty()
            ? CHILD_JVM_OPTIONS
            : overrides.jvmOptions());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(arguments));
    return command;
  }

  /**
   * The parent's environment without anything that would configure a part behind the stack's back
   * (a stray {@code PORT}, {@code SPRING_*}, {@code INBOXPUSH_*}, {@code LOCAL_*} or {@code
   * MANAGEMENT_*} variable of the person's shell).
   */
  private static Map<String, String> baseEnvironment() {
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    env.keySet()
        .removeIf(
            key ->
                key.equals("PORT")
                    || key.startsWith("SPRING_")
                    || key.startsWith("INBOXPUSH_")
                    || key.startsWith("LOCAL_")
                    || key.startsWith("MANAGEMENT_")
                    || key.startsWith("LOGGING_")
                    || key.equals("JAVA_TOOL_OPTIONS"));
    return env;
  }

  private static URI readiness(int managementPort) {
    return loopback(managementPort).resolve("/actuator/health/readiness");
  }

  private static URI loopback(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  private static Path log(StackOptions options, String name) {
    return options.dataRoot().resolve("logs").resolve(name + ".log");
  }

  private static void checkPortsFree(StackPorts ports) {
    ports
        .named()
        .forEach(
            (port, what) -> {
              if (!LocalFiles.portFree(port)) {
                throw new IllegalStateException(
                    "port "
                        + port
                        + " (for "
                        + what
                        + ") is in use on 127.0.0.1: is another local run (or another program)"
                        + " using it? Stop it first.");
              }
            });
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      LocalFiles.deleteTree(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + " for --fresh", e);
    }
  }
}
