package dev.inboxpush.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import tools.jackson.databind.JsonNode;

/**
 * The top-level docker-compose.yml brought up for real by Debian's docker-compose (Testcontainers'
 * {@link DockerComposeContainer}, no pulls) with deploy/docker/compose.test.yml on top: host
 * networking, everything on 127.0.0.1 on free ports. A device registered through the registration
 * API gets the badge of a SendNotification POSTed to its callback URL at the local APNs (the push
 * inspector shows it), Prometheus scrapes both management ports, and bringing the stack down leaves
 * no container behind. The tests run in order on one stack.
 */
@NeedsDocker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {

  private static final String SCRIPT_SECRET =
      HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
  private static final String PROJECT = "inboxpushcomposeit";
  private static final List<String> SERVICES =
      List.of("dynalite", "auth", "push", "registration", "listener", "prometheus");

  private static DockerComposeContainer<?> compose;
  private static StackHttp http;
  private static Map<String, Integer> ports;
  private static Duration startedIn;

  @BeforeAll
  static void up() throws Exception {
    Engine.require(Engine.REGISTRATION, Engine.LISTENER, Engine.PEERS, Engine.PROMETHEUS);
    ports = new LinkedHashMap<>();
    for (String name :
        List.of(
            "DYNALITE",
            "AUTH",
            "APNS",
            "FCM",
            "INSPECTOR",
            "REGISTRATION",
            "REGISTRATION_MANAGEMENT",
            "LISTENER",
            "LISTENER_MANAGEMENT",
            "PROMETHEUS")) {
      ports.put(name, Engine.freePort());
    }
    Path folder = Engine.buildFolder("compose-stack-it");
    Files.createDirectories(folder);
    Path prometheusConfig = folder.resolve("prometheus.yml");
    Files.writeString(
        prometheusConfig,
        """
        global:
          scrape_interval: 2s
        scrape_configs:
          - job_name: registration-service
            metrics_path: /actuator/prometheus
            static_configs:
              - targets: ["127.0.0.1:%d"]
          - job_name: listener-service
            metrics_path: /actuator/prometheus
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(ports.get("REGISTRATION_MANAGEMENT"), ports.get("LISTENER_MANAGEMENT")));
    Map<String, String> env = new LinkedHashMap<>();
    ports.forEach((name, port) -> env.put("TEST_" + name + "_PORT", Integer.toString(port)));
    env.put("TEST_PROMETHEUS_CONFIG", prometheusConfig.toString());
    env.put("LOCAL_AUTH_SCRIPT_CLIENT_SECRET", SCRIPT_SECRET);
    Path root = Engine.checkout();
    compose =
        new DockerComposeContainer<>(
                PROJECT,
                new File(root.resolve("docker-compose.yml").toString()),
                new File(root.resolve("deploy/docker/compose.test.yml").toString()))
            .withPull(false)
            .withBuild(false)
            .withEnv(env)
            .withRemoveVolumes(true)
            .withStartupTimeout(Duration.ofMinutes(4));
    for (String service : SERVICES) {
      // The images' own HEALTHCHECKs: the services' readiness on their management ports.
      compose.waitingFor(service, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(4)));
    }
    Instant begin = Instant.now();
    compose.start();
    startedIn = Duration.between(begin, Instant.now());
    System.out.println("ComposeStackIT: the compose stack was healthy after " + startedIn);
    http =
        new StackHttp(
            loopback(ports.get("AUTH")),
            SCRIPT_SECRET,
            loopback(ports.get("REGISTRATION")),
            loopback(ports.get("INSPECTOR")));
  }

  @AfterAll
  static void down() {
    if (compose != null) {
      compose.stop();
    }
  }

  @Test
  @Order(1)
  void aBadgeTravelsFromTheRegistrationApiThroughTheListenerToTheLocalApns() {
    String device = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    String token = http.scriptToken();

    URI callback = http.registerAndBindApns(token, device, "sub-compose");

    assertThat(callback.toString())
        .startsWith("http://127.0.0.1:" + ports.get("LISTENER") + "/ews/v1/");
    assertThat(StackHttp.notifyNewMail(callback, "sub-compose", 7)).isEqualTo("OK");
    JsonNode push =
        http.awaitPush(
            row -> device.equals(row.get("token").asString()) && StackHttp.badge(row) == 7,
            Duration.ofSeconds(20));
    assertThat(push.get("platform").asString()).isEqualTo("apns");
    assertThat(push.get("accepted").asBoolean()).isTrue();
  }

  @Test
  @Order(2)
  void prometheusScrapesBothManagementPorts() {
    URI targets = loopback(ports.get("PROMETHEUS")).resolve("/api/v1/targets");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    Map<String, String> health = Map.of();
    while (Instant.now().isBefore(deadline)) {
      health = new LinkedHashMap<>();
      for (JsonNode target :
          StackHttp.json(StackHttp.get(targets).body()).get("data").get("activeTargets")) {
        health.put(target.get("labels").get("job").asString(), target.get("health").asString());
      }
      if (health.values().stream().allMatch("up"::equals) && health.size() == 2) {
        break;
      }
      StackHttp.pause(Duration.ofSeconds(1));
    }
    assertThat(health)
        .containsEntry("registration-service", "up")
        .containsEntry("listener-service", "up");
  }

  @Test
  @Order(3)
  void bringingItDownLeavesNoContainerBehind() {
    compose.stop();
    compose = null;

    List<Container> left =
        DockerClientFactory.instance()
            .client()
            .listContainersCmd()
            .withShowAll(true)
            .exec()
            .stream()
            // Testcontainers names the project after PROJECT plus a random suffix.
            .filter(
                c ->
                    c.getLabels() != null
                        && c.getLabels()
                            .getOrDefault("com.docker.compose.project", "")
                            .startsWith(PROJECT))
            .toList();
    assertThat(left).isEmpty();
  }

  private static URI loopback(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }
}
