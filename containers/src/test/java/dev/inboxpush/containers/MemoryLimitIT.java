package dev.inboxpush.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * Both service images under {@code --memory=512m} (no swap beyond it) take the walk-through's load
 * (register and bind devices, then SendNotifications to their callback URLs, many at once) and are
 * not killed for memory: the engine reports no OOM kill and no exit, both stay ready, and the JVM
 * sized its heap from the container's limit (the images' -XX:MaxRAMPercentage=60), not from the
 * host's memory.
 */
@NeedsDocker
class MemoryLimitIT {

  private static final long LIMIT = 512L * 1024 * 1024;
  private static final int DEVICES = 100;
  private static final int NOTIFICATIONS_EACH = 20;
  private static final int IN_FLIGHT = 16;
  private static final Pattern HEAP_MAX =
      Pattern.compile(
          "^jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$", Pattern.MULTILINE);

  private static Containers containers;
  private static GenericContainer<?> registration;
  private static GenericContainer<?> listener;
  private static int registrationManagement;
  private static int listenerManagement;
  private static StackHttp http;

  @BeforeAll
  static void start() {
    Engine.require(Engine.REGISTRATION, Engine.LISTENER, Engine.PEERS);
    containers = new Containers();
    containers.peers();
    int registrationPort = Engine.freePort();
    int listenerPort = Engine.freePort();
    registrationManagement = Engine.freePort();
    listenerManagement = Engine.freePort();
    Map<String, String> env =
        new LinkedHashMap<>(
            containers.registrationEnv(registrationPort, registrationManagement, listenerPort));
    // One script client registers and binds every device: 200 requests, more than a caller's 60
    // a minute.
    env.put("INBOXPUSH_REGISTRATION_RATE_LIMIT_PER_CALLER", "1000");
    registration = limited(Containers.onHostNetwork(Engine.REGISTRATION, env));
    listener = limited(containers.listener(listenerPort, listenerManagement));
    containers.startAll(Duration.ofMinutes(4), registration, listener);
    http =
        new StackHttp(
            URI.create("http://127.0.0.1:" + containers.authPort),
            containers.scriptSecret,
            URI.create("http://127.0.0.1:" + registrationPort),
            URI.create("http://127.0.0.1:" + containers.inspectorPort));
  }

  @AfterAll
  static void stop() {
    if (containers != null) {
      containers.close();
    }
  }

  @Test
  void bothServicesTakeTheWalkThroughsLoadWithin512MbWithoutAnOomKill() throws Exception {
    String token = http.scriptToken();
    SecureRandom random = new SecureRandom();
    List<String> devices = new ArrayList<>();
    List<URI> callbacks = new ArrayList<>();
    Instant begin = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try {
      List<Future<URI>> registered = new ArrayList<>();
      for (int i = 0; i < DEVICES; i++) {
        String device = HexFormat.of().formatHex(random.generateSeed(32));
        devices.add(device);
        String subscription = "sub-" + i;
        registered.add(pool.submit(() -> http.registerAndBindApns(token, device, subscription)));
      }
      for (Future<URI> callback : registered) {
        callbacks.add(callback.get());
      }
      List<Future<String>> answers = new ArrayList<>();
      for (int n = 1; n <= NOTIFICATIONS_EACH; n++) {
        for (int i = 0; i < DEVICES; i++) {
          URI callback = callbacks.get(i);
          String subscription = "sub-" + i;
          int unread = n;
          answers.add(pool.submit(() -> StackHttp.notifyNewMail(callback, subscription, unread)));
        }
      }
      for (Future<String> answer : answers) {
        assertThat(answer.get()).isEqualTo("OK");
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "MemoryLimitIT: %d registrations and %d SendNotifications in %s%n",
        DEVICES, DEVICES * NOTIFICATIONS_EACH, Duration.between(begin, Instant.now()));
    // The last badge of the last device: the listener kept dispatching to the end.
    String last = devices.get(DEVICES - 1);
    http.awaitPush(
        row ->
            last.equals(row.get("token").asString()) && StackHttp.badge(row) == NOTIFICATIONS_EACH,
        Duration.ofSeconds(30));

    for (GenericContainer<?> service : List.of(registration, listener)) {
      InspectContainerResponse inspected = Containers.inspect(service);
      String name = inspected.getConfig().getImage();
      assertThat(inspected.getHostConfig().getMemory()).as(name).isEqualTo(LIMIT);
      assertThat(inspected.getState().getOOMKilled()).as(name + " OOM-killed").isFalse();
      assertThat(inspected.getState().getRunning()).as(name + " running").isTrue();
      assertThat(inspected.getRestartCount()).as(name).isZero();
      System.out.printf(
          "MemoryLimitIT: %s peak memory %s%n",
          name,
          service
              .execInContainer(
                  "sh",
                  "-c",
                  "cat /sys/fs/cgroup/memory.peak 2>/dev/null"
                      + " || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes")
              .getStdout()
              .strip());
    }
    for (int managementPort : List.of(registrationManagement, listenerManagement)) {
      URI management = URI.create("http://127.0.0.1:" + managementPort);
      assertThat(StackHttp.get(management.resolve("/actuator/health/readiness")).statusCode())
          .isEqualTo(200);
      Matcher heap =
          HEAP_MAX.matcher(StackHttp.get(management.resolve("/actuator/prometheus")).body());
      double heapMax = 0;
      while (heap.find()) {
        // One series per pool; a pool without its own maximum (G1's eden) says -1.
        heapMax += Math.max(0, Double.parseDouble(heap.group(1)));
      }
      // 60 % of 512 MiB is 322 MB; the JVM's default, 25 % of the host's memory, would be far more
      // (or, container-aware without the option, 134 MB).
      assertThat(heapMax).as("max heap on " + managementPort).isBetween(0.5 * LIMIT, 0.65 * LIMIT);
    }
  }

  private static GenericContainer<?> limited(GenericContainer<?> container) {
    return container.withCreateContainerCmdModifier(
        cmd -> cmd.getHostConfig().withMemory(LIMIT).withMemorySwap(LIMIT));
  }
}
