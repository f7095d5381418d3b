package dev.inboxpush.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.containers.GenericContainer;

/**
 * The registration service's image alone (with dynalite beside it): without a required setting it
 * exits by itself with a message naming that setting; with good settings its readiness goes green,
 * on the management port only, and it runs as the image's non-root user.
 */
@NeedsDocker
class ServiceImageIT {

  private static Containers containers;

  @BeforeAll
  static void dynalite() {
    Engine.require(Engine.REGISTRATION, Engine.PEERS);
    containers = new Containers();
    containers.dynalite();
  }

  @AfterAll
  static void stop() {
    if (containers != null) {
      containers.close();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "INBOXPUSH_REGION, inboxpush.region",
    "INBOXPUSH_REGISTRATION_OWNER_HASH_KEY, inboxpush.registration.owner-hash-key",
    "INBOXPUSH_REGISTRATION_LISTENER_BASE_URL, inboxpush.registration.listener-base-url",
    "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI, issuer-uri",
  })
  void withoutARequiredSettingItExitsNamingIt(String variable, String named) {
    Map<String, String> env =
        new LinkedHashMap<>(
            containers.registrationEnv(
                Engine.freePort(), Engine.freePort(), containers.inspectorPort));
    env.remove(variable);
    GenericContainer<?> service =
        Containers.onHostNetwork(Engine.REGISTRATION, env)
            .withStartupCheckStrategy(new ExitedCheck().withTimeout(Duration.ofMinutes(2)))
            .waitingFor(ExitedCheck.NO_WAIT);
    try {
      service.start();

      Long exitCode = Containers.inspect(service).getState().getExitCodeLong();
      String log = service.getLogs();
      assertThat(exitCode).as(log).isNotNull().isNotZero();
      assertThat(log).contains(named);
    } finally {
      service.stop();
    }
  }

  @Test
  void withGoodSettingsItsReadinessGoesGreenOnTheManagementPortOnly() throws Exception {
    int port = Engine.freePort();
    int managementPort = Engine.freePort();
    GenericContainer<?> service =
        Containers.onHostNetwork(
            Engine.REGISTRATION,
            containers.registrationEnv(port, managementPort, containers.inspectorPort));

    containers.start(service, Duration.ofMinutes(3));

    assertThat(Containers.inspect(service).getState().getHealth().getStatus()).isEqualTo("healthy");
    HttpResponse<String> readiness =
        StackHttp.get(
            URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"));
    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    assertThat(StackHttp.json(readiness.body()).get("status").asString()).isEqualTo("UP");
    assertThat(
            StackHttp.get(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .statusCode())
        .isNotEqualTo(200);
    assertThat(service.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
  }
}
