package dev.inboxpush.local.push;

import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.fcm.FcmErrorCode;
import dev.inboxpush.testsupport.fcm.FcmFailure;
import dev.inboxpush.testsupport.tls.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local APNs and FCM of a local run, with the push inspector: three servers on one address,
 * configured by environment variables only ({@link PushSettings}).
 *
 * <ul>
 *   <li>APNs: pushy's MockApnsServer (test-support's {@link MockApns}) over TLS, bound to the
 *       configured address only. It accepts any well-formed device token (64 hex digits) for the
 *       configured topics and verifies everything else as Apple does: the provider token's
 *       signature, key id ({@code LOCAL_APNS_KEY_ID}) and team ({@value MockApns#TEAM_ID}), the
 *       topic, headers and payload size. A token made dead is answered {@code 410 Unregistered}
 *       with the time it died.
 *   <li>FCM: test-support's {@link FakeFcmServer} (HTTP/2 over TLS, FCM HTTP v1 and Google's OAuth2
 *       token endpoint) with a service account per project; a token made dead is answered {@code
 *       404 UNREGISTERED}.
 *   <li>The push inspector ({@link Inspector}): a page and JSON over what arrived ({@link PushLog},
 *       the last {@value PushLog#DEFAULT_CAPACITY} pushes), and the control that makes a token
 *       dead.
 * </ul>
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value PushSettings#ADDRESS}</td><td>{@code 127.0.0.1}</td><td>the bind address of all
 *       three (the certificate covers {@code 127.0.0.1} and {@code localhost})</td></tr>
 *   <tr><td>{@value PushSettings#DATA_DIR}</td><td>{@code .local/push}</td><td>the kept keys,
 *       certificates and service accounts ({@link PushData})</td></tr>
 *   <tr><td>{@value PushSettings#APNS_PORT}</td><td>{@value PushSettings#DEFAULT_APNS_PORT}</td>
 *       <td>APNs; 0 picks a free port</td></tr>
 *   <tr><td>{@value PushSettings#FCM_PORT}</td><td>{@value PushSettings#DEFAULT_FCM_PORT}</td>
 *       <td>FCM and its token endpoint</td></tr>
 *   <tr><td>{@value PushSettings#INSPECTOR_PORT}</td>
 *       <td>{@value PushSettings#DEFAULT_INSPECTOR_PORT}</td><td>the inspector (plain HTTP)</td></tr>
 *   <tr><td>{@value PushSettings#APNS_TOPICS}</td><td>{@value PushSettings#DEFAULT_APNS_TOPIC}</td>
 *       <td>the topics (bundle ids) accepted, comma-separated</td></tr>
 *   <tr><td>{@value PushSettings#APNS_KEY_ID}</td><td>{@value PushSettings#DEFAULT_APNS_KEY_ID}</td>
 *       <td>the signing key's key id</td></tr>
 *   <tr><td>{@value PushSettings#FCM_PROJECTS}</td>
 *       <td>{@value PushSettings#DEFAULT_FCM_PROJECT}</td><td>the Firebase projects,
 *       comma-separated</td></tr>
 *   <tr><td>{@value PushSettings#HOST_NAMES}</td><td>none</td><td>further DNS names the
 *       certificate covers (a container's service name), comma-separated</td></tr>
 *   <tr><td>{@value PushSettings#FCM_LATENCY_MS}</td><td>0</td><td>the fake FCM's delay before
 *       each answer, in milliseconds (benchmarks)</td></tr>
 * </table>
 *
 * <p>Lifecycle: {@link #start} reads or generates the data directory's files, then starts APNs, FCM
 * and the inspector, and returns once all three listen; a bad or unreadable file, or a port that is
 * taken, stops it before it returns (what did start is stopped again), with a message naming the
 * file or the port. {@link #close} stops all three. {@link #main} logs where it listens and where
 * its files are (never a private key, never a whole device token), prints {@value #READY_LINE} once
 * ready, and runs until SIGINT or SIGTERM, which stop it through a shutdown hook.
 *
 * <p>From the local module's jar: {@code java -jar local/target/local-<version>-exec.jar push}
 * ({@link dev.inboxpush.local.Main}).
 *
 * <p>Threading: pushes are recorded on the APNs and FCM event loops, the inspector serves on its
 * own threads; this class is thread-safe.
 */
public final class LocalPushServer implements AutoCloseable {

  /** The line {@link #main} prints once all three servers listen. */
  public static final String READY_LINE = "local push ready";

  private final PushSettings settings;
  private final PushData data;
  private final PushLog pushes;
  private final MockApns apns;
  private final FakeFcmServer fcm;
  private final Inspector inspector;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalPushServer(
      PushSettings settings,
      PushData data,
      PushLog pushes,
      MockApns apns,
      FakeFcmServer fcm,
      Inspector inspector) {
    this.settings = settings;
    this.data = data;
    this.pushes = pushes;
    this.apns = apns;
    this.fcm = fcm;
    this.inspector = inspector;
  }

  /** Starts the server from the environment and keeps it running until SIGINT or SIGTERM. */
  public static void main(String[] args) throws InterruptedException {
    // Before any logger exists: this process's own logging (INFO, Netty quiet), unless told other.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", "dev/inboxpush/local/push/logback-local-push.xml");
    }
    PushSettings settings;
    try {
      settings = PushSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("local push server: " + e.getMessage());
      System.exit(2);
      return;
    }
    LocalPushServer server;
    try {
      server = start(settings);
    } catch (RuntimeException e) {
      System.err.println("local push server: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  Log.get().info("local push server stopped");
                  stopped.countDown();
                },
                "local-push-shutdown"));
    server.logWhatANewcomerNeeds();
    System.out.println(READY_LINE);
    System.out.flush();
    stopped.await();
  }

  /**
   * Starts APNs, FCM and the inspector with {@code settings}; on port 0, each on a free port.
   *
   * @throws IllegalStateException if a file of the data directory cannot be read, written or
   *     trusted, or a server cannot bind its port
   */
  public static LocalPushServer start(PushSettings settings) {
    PushData data = PushData.loadOrCreate(settings);
    PushLog pushes = new PushLog();
    TestPki pki = TestPki.of(data.root());
    MockApns apns = null;
    FakeFcmServer fcm = null;
    try {
      ApnsRows apnsRows = new ApnsRows(pushes);
      apns =
          MockApns.builder()
              .pki(pki)
              .serverCertificate(data.serverCertificate())
              .address(settings.address())
              .port(settings.apnsPort())
              .anyWellFormedToken(settings.apnsTopics())
              .onReceived(apnsRows::record)
              .start();
      apns.trust(data.signingKey(), settings.apnsTopics().toArray(String[]::new));

      FcmRows fcmRows = new FcmRows(pushes);
      fcm =
          FakeFcmServer.builder()
              .pki(pki)
              .serverCertificate(data.serverCertificate())
              .address(settings.address())
              .port(settings.fcmPort())
              // The inspector keeps the rows; the fake keeps no unbounded record of its own.
              .requestLogCapacity(0)
              .onRequest(fcmRows::record)
              .build();
      if (!settings.fcmLatency().isZero()) {
        fcm.setLatency(settings.fcmLatency());
      }
      for (var account : data.serviceAccounts().values()) {
        fcm.registerServiceAccount(account);
      }
      fcm.start();

      MockApns startedApns = apns;
      FakeFcmServer startedFcm = fcm;
      AtomicBoolean ready = new AtomicBoolean();
      Map<String, Object> health = new LinkedHashMap<>();
      health.put("apnsPort", apns.port());
      health.put("fcmPort", fcm.port());
      Inspector inspector =
          Inspector.start(
              new InetSocketAddress(settings.address(), settings.inspectorPort()),
              pushes,
              (platform, token, since) -> markDead(startedApns, startedFcm, platform, token, since),
              new PushFaults(startedApns, startedFcm),
              ready::get,
              health);
      health.put("inspectorPort", inspector.port());
      ready.set(true);
      return new LocalPushServer(settings, data, pushes, apns, fcm, inspector);
    } catch (RuntimeException e) {
      if (fcm != null) {
        fcm.close();
      }
      if (apns != null) {
        apns.close();
      }
      throw e;
    }
  }

  private static void markDead(
      MockApns apns, FakeFcmServer fcm, String platform, String token, Instant since) {
    if (ApnsRows.PLATFORM.equals(platform)) {
      apns.unregister(token, since);
    } else {
      fcm.failToken(token, FcmFailure.of(FcmErrorCode.UNREGISTERED));
    }
  }

  /** The bind address of all three servers. */
  public InetAddress address() {
    return settings.address();
  }

  /** The local APNs' port. */
  public int apnsPort() {
    return apns.port();
  }

  /** The fake FCM's port. */
  public int fcmPort() {
    return fcm.port();
  }

  /** The inspector's port. */
  public int inspectorPort() {
    return inspector.port();
  }

  /** The inspector's page, {@code http://127.0.0.1:<port>/}. */
  public URI inspectorUri() {
    return URI.create("http://" + host() + ":" + inspectorPort() + "/");
  }

  /** The files kept in the data directory, and what they hold. */
  public PushData data() {
    return data;
  }

  /** What arrived. */
  public PushLog pushes() {
    return pushes;
  }

  /**
   * The listener's settings for pushing here, as Spring Boot property names (give them as
   * environment variables or {@code --key=value}): one APNs app per topic with the kept signing
   * key, both APNs environments on this server, one FCM project per configured project with its
   * service account, {@code inboxpush.fcm.base-url} here, and {@value PushData#CA_FILE} trusted for
   * both.
   */
  public Map<String, String> listenerProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> topics = settings.apnsTopics();
    for (int i = 0; i < topics.size(); i++) {
      String app = "inboxpush.apns.apps[" + i + "].";
      properties.put(app + "topic", topics.get(i));
      properties.put(app + "token.key-file", data.signingKey().p8File().toString());
      properties.put(app + "token.key-id", data.signingKey().keyId());
      properties.put(app + "token.team-id", data.signingKey().teamId());
    }
    for (String environment : List.of("production", "sandbox")) {
      properties.put("inboxpush.apns." + environment + ".host", host());
      properties.put("inboxpush.apns." + environment + ".port", Integer.toString(apnsPort()));
    }
    properties.put("inboxpush.apns.trusted-server-certificates", data.caFile().toString());
    List<String> projects = settings.fcmProjects();
    for (int i = 0; i < projects.size(); i++) {
      String project = "inboxpush.fcm.projects[" + i + "].";
      properties.put(project + "project-id", projects.get(i));
      properties.put(
          project + "credentials-file", data.serviceAccountFile(projects.get(i)).toString());
    }
    properties.put("inboxpush.fcm.base-url", "https://" + host() + ":" + fcmPort());
    properties.put("inboxpush.fcm.trusted-server-certificates", data.caFile().toString());
    return properties;
  }

  /** Stops the inspector, FCM and APNs; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    inspector.stop();
    fcm.close();
    apns.close();
  }

  /**
   * Where clients connect: the bind address, or loopback when it binds every interface (the
   * certificate covers 127.0.0.1, not the host's other addresses). Not {@code localhost}, which may
   * resolve to {@code ::1} first, where nothing listens.
   */
  private String host() {
    InetAddress address = settings.address();
    return address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
  }

  /** The start-up log: where it listens and where its files are; never a key's content. */
  private void logWhatANewcomerNeeds() {
    Logger log = Log.get();
    log.info(
        "local APNs on https://{}:{} (topics {}, any 64-hex-digit device token; provider tokens of"
            + " key {} of team {})",
        host(),
        apnsPort(),
        settings.apnsTopics(),
        data.signingKey().keyId(),
        data.signingKey().teamId());
    log.info(
        "fake FCM on https://{}:{} (projects {}; give the listener"
            + " inboxpush.fcm.base-url=https://{}:{})",
        host(),
        fcmPort(),
        settings.fcmProjects(),
        host(),
        fcmPort());
    log.info("push inspector on {}", inspectorUri());
    Path directory = data.directory();
    log.info(
        "files in {}: {} (trust it), {} (signing key {}), {}; {}",
        directory,
        PushData.CA_FILE,
        PushData.APNS_KEY_FILE,
        data.signingKey().keyId(),
        settings.fcmProjects().stream().map(PushData::serviceAccountFileName).toList(),
        data.generated().isEmpty() ? "all reused" : "generated now: " + data.generated());
  }

  /**
   * The logger, made on first use: {@link #main} chooses the logging configuration before any
   * logger exists.
   */
  private static final class Log {
    private static @Nullable Logger logger;

    static synchronized Logger get() {
      Logger current = logger;
      if (current == null) {
        current = LoggerFactory.getLogger(LocalPushServer.class);
        logger = current;
      }
      return current;
    }
  }
}
