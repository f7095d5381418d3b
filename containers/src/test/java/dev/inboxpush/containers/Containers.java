package dev.inboxpush.containers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The images run one by one with Testcontainers' {@link GenericContainer}: host networking (each on
 * its own free ports on 127.0.0.1), never pulled, waited for through the image's own HEALTHCHECK.
 * {@link #peers} starts the local peers a service needs; {@link #close} removes every container
 * this instance started and the push peer's volume. Not thread-safe: one per test class.
 */
final class Containers implements AutoCloseable {

  /**
   * The services' bound on one table call: 10 s instead of 2 s, because the build machine runs
   * several JVMs per core here and a table bootstrap that waits out 2 s would stop the service.
   */
  static final String TABLE_CALL_TIMEOUT = "10s";

  private final List<GenericContainer<?>> started = new ArrayList<>();
  private final String pushVolume = "inboxpush-it-push-" + Long.toHexString(System.nanoTime());

  final int dynalitePort = Engine.freePort();
  final int authPort = Engine.freePort();
  final int apnsPort = Engine.freePort();
  final int fcmPort = Engine.freePort();
  final int inspectorPort = Engine.freePort();
  final String scriptSecret = "it-" + Long.toHexString(System.nanoTime()) + "-secret";

  /** A container of {@code image} on the host's network with {@code env}, not started. */
  static GenericContainer<?> onHostNetwork(String image, Map<String, String> env) {
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image))
            .withImagePullPolicy(name -> false)
            .withNetworkMode("host")
            .withEnv(env);
    return container;
  }

  /** Starts {@code container} (waiting for its health check) and removes it at {@link #close}. */
  <T extends GenericContainer<?>> T start(T container, Duration within) {
    container.waitingFor(Wait.forHealthcheck().withStartupTimeout(within));
    started.add(container);
    container.start();
    return container;
  }

  /** Starts all of {@code containers} at once, as {@link #start} does one. */
  void startAll(Duration within, GenericContainer<?>... containers) {
    for (GenericContainer<?> container : containers) {
      container.waitingFor(Wait.forHealthcheck().withStartupTimeout(within));
      started.add(container);
    }
    Startables.deepStart(containers).join();
  }

  /** dynalite alone. */
  void dynalite() {
    start(
        onHostNetwork(
                Engine.PEERS,
                Map.of("DYNALITE_ADDRESS", "127.0.0.1", "DYNALITE_PORT", "" + dynalitePort))
            .withCommand("dynalite"),
        Duration.ofMinutes(1));
  }

  /**
   * dynalite, the authorization server and the local push peer (its files in a volume), at once.
   */
  void peers() {
    startAll(
        Duration.ofMinutes(3),
        onHostNetwork(
                Engine.PEERS,
                Map.of("DYNALITE_ADDRESS", "127.0.0.1", "DYNALITE_PORT", "" + dynalitePort))
            .withCommand("dynalite"),
        onHostNetwork(
                Engine.PEERS,
                Map.of(
                    "LOCAL_AUTH_ADDRESS",
                    "127.0.0.1",
                    "LOCAL_AUTH_PORT",
                    "" + authPort,
                    "LOCAL_AUTH_SCRIPT_CLIENT_SECRET",
                    scriptSecret))
            .withCommand("auth"),
        onHostNetwork(
                Engine.PEERS,
                Map.of(
                    "LOCAL_PUSH_ADDRESS", "127.0.0.1",
                    "LOCAL_APNS_PORT", "" + apnsPort,
                    "LOCAL_FCM_PORT", "" + fcmPort,
                    "LOCAL_INSPECTOR_PORT", "" + inspectorPort))
            .withCommand("push")
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig().withBinds(new Bind(pushVolume, new Volume("/data/push")))));
  }

  /** The registration service's environment against {@link #peers}. */
  Map<String, String> registrationEnv(int port, int managementPort, int listenerPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SERVER_ADDRESS", "127.0.0.1");
    env.put("MANAGEMENT_ADDRESS", "127.0.0.1");
    env.put("PORT", "" + port);
    env.put("MANAGEMENT_PORT", "" + managementPort);
    env.put("INBOXPUSH_REGION", "us-east-1");
    env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "http://127.0.0.1:" + authPort);
    env.put("INBOXPUSH_REGISTRATION_LISTENER_BASE_URL", "http://127.0.0.1:" + listenerPort);
    env.put(
        "INBOXPUSH_REGISTRATION_OWNER_HASH_KEY", "containers-it-owner-hash-key-0123456789abcdef");
    env.put("INBOXPUSH_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynalitePort);
    env.put("INBOXPUSH_DYNAMODB_CREATE_TABLE", "true");
    env.put("INBOXPUSH_DYNAMODB_API_CALL_TIMEOUT", TABLE_CALL_TIMEOUT);
    return env;
  }

  /** A listener container against {@link #peers}, the push peer's files mounted read-only. */
  GenericContainer<?> listener(int port, int managementPort) {
    Map<String, String> env =
        new LinkedHashMap<>(
            Map.of(
                "SERVER_ADDRESS",
                "127.0.0.1",
                "MANAGEMENT_ADDRESS",
                "127.0.0.1",
                "PORT",
                "" + port,
                "MANAGEMENT_PORT",
                "" + managementPort,
                "INBOXPUSH_REGION",
                "us-east-1",
                "INBOXPUSH_DYNAMODB_ENDPOINT",
                "http://127.0.0.1:" + dynalitePort,
                "INBOXPUSH_DYNAMODB_CREATE_TABLE",
                "true",
                "INBOXPUSH_DYNAMODB_API_CALL_TIMEOUT",
                TABLE_CALL_TIMEOUT));
    env.put("INBOXPUSH_APNS_APPS_0_TOPIC", StackHttp.APNS_TOPIC);
    env.put("INBOXPUSH_APNS_APPS_0_TOKEN_KEY_FILE", "/run/local-push/apns-signing-key.p8");
    env.put("INBOXPUSH_APNS_APPS_0_TOKEN_KEY_ID", "LOCALKEY01");
    env.put("INBOXPUSH_APNS_APPS_0_TOKEN_TEAM_ID", "TEAM000001");
    for (String environment : List.of("PRODUCTION", "SANDBOX")) {
      env.put("INBOXPUSH_APNS_" + environment + "_HOST", "127.0.0.1");
      env.put("INBOXPUSH_APNS_" + environment + "_PORT", "" + apnsPort);
    }
    env.put("INBOXPUSH_APNS_TRUSTED_SERVER_CERTIFICATES", "/run/local-push/ca.pem");
    env.put("INBOXPUSH_FCM_PROJECTS_0_PROJECT_ID", "inboxpush-local");
    env.put(
        "INBOXPUSH_FCM_PROJECTS_0_CREDENTIALS_FILE",
        "/run/local-push/fcm-service-account-inboxpush-local.json");
    env.put("INBOXPUSH_FCM_BASE_URL", "https://127.0.0.1:" + fcmPort);
    env.put("INBOXPUSH_FCM_TRUSTED_SERVER_CERTIFICATES", "/run/local-push/ca.pem");
    return onHostNetwork(Engine.LISTENER, env)
        .withCreateContainerCmdModifier(
            cmd ->
                cmd.getHostConfig()
                    .withBinds(
                        new Bind(
                            pushVolume,
                            new Volume("/run/local-push"),
                            com.github.dockerjava.api.model.AccessMode.ro)));
  }

  /** What the engine says of a started container now. */
  static InspectContainerResponse inspect(GenericContainer<?> container) {
    return DockerClientFactory.instance()
        .client()
        .inspectContainerCmd(container.getContainerId())
        .exec();
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).stop();
    }
    started.clear();
    try {
      DockerClientFactory.instance().client().removeVolumeCmd(pushVolume).exec();
    } catch (RuntimeException notThere) {
      // never created (the push peer did not start) or already gone
    }
  }
}
