package dev.inboxpush.listener.dispatch.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.fcm.FcmErrorCode;
import dev.inboxpush.testsupport.fcm.FcmFailure;
import dev.inboxpush.testsupport.fcm.FcmRequest;
import dev.inboxpush.testsupport.net.ConnectProxy;
import dev.inboxpush.testsupport.tls.TestPki;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

/**
 * The FCM dispatcher through the real firebase-admin client (its own HTTP/2 transport, service
 * account credentials read from a file and exchanged for a token) against the fake FCM server: the
 * device contract as it arrives, every FCM error code, the pool's bound under a burst, the circuit,
 * the dead-token valve, timeouts, shutdown and start-up failures. Every test checks what arrived at
 * the fake.
 */
class FcmDispatcherIT {

  private static final String PROJECT = "demo-project";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static FakeFcmServer fcm;
  private static Path account;
  private static Path trusted;

  @BeforeAll
  static void startFake() {
    fcm = FakeFcmServer.builder().build().start();
    account = fcm.newServiceAccount(PROJECT).file();
    trusted = TestPki.writeTemp(fcm.trustRoot().getCertificatePEM(), ".pem");
  }

  @AfterAll
  static void stopFake() {
    fcm.close();
  }

  @BeforeEach
  void forget() {
    fcm.reset();
  }

  static String token() {
    byte[] bytes = new byte[96];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static Push push(
      String project, String token, PushKind kind, @Nullable Integer badge, boolean newMail) {
    RegistrationId id = RegistrationId.random();
    return new Push(
        id,
        AppId.of(project),
        null,
        DeviceToken.of(Platform.FCM, token),
        kind,
        badge,
        newMail,
        id.value(),
        null);
  }

  static Push badge(String token, int badge) {
    return push(PROJECT, token, PushKind.NEW_MAIL, badge, true);
  }

  /** Settings with test-sized defaults, mutable per test. */
  static final class Settings {
    int apps = 2;
    int threads = 100;
    Duration sendTimeout = Duration.ofSeconds(10);
    Path credentials = account;
    FcmProperties.@Nullable Proxy proxy;
    List<FcmProperties.Project> more = List.of();
    DispatchProperties.Circuit circuit =
        new DispatchProperties.Circuit(50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 5);
    DispatchProperties.Valve valve =
        new DispatchProperties.Valve(50, 50, Duration.ofMinutes(10), Duration.ofMinutes(30), 20);

    FcmProperties properties() {
      return new FcmProperties(
          Stream.concat(Stream.of(new FcmProperties.Project(PROJECT, credentials)), more.stream())
              .toList(),
          proxy == null ? URI.create(fcm.baseUrl()) : null,
          trusted,
          proxy,
          apps,
          threads,
          10_000,
          sendTimeout,
          Duration.ofHours(1),
          Duration.ofSeconds(5));
    }

    Running start(Clock clock) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
      return new Running(
          FcmDispatcher.start(
              properties(),
              new DispatchProperties(
                  circuit, valve, new DispatchProperties.WarmUpSettings(Duration.ZERO)),
              breakers,
              new DispatchMetrics(meters),
              clock),
          meters,
          breakers);
    }
  }

  record Running(
      FcmDispatcher dispatcher, SimpleMeterRegistry meters, CircuitBreakerRegistry breakers)
      implements AutoCloseable {
    @Override
    public void close() {
      dispatcher.close();
    }

    DispatchOutcome send(Push push) {
      return dispatcher.dispatch(push).block(TIMEOUT);
    }
  }

  @Test
  void messagesArriveExactlyAsTheDeviceContractSays() {
    try (Running running = new Settings().start(Clock.systemUTC())) {
      String token = token();
      Push newMail = badge(token, 7);
      Push quiet = push(PROJECT, token, PushKind.UNREAD_CHANGED, 0, false);
      Push wake = push(PROJECT, token, PushKind.RESUBSCRIBE, null, false);

      assertThat(List.of(running.send(newMail), running.send(quiet), running.send(wake)))
          .allMatch(DispatchOutcome.Accepted.class::isInstance);

      List<FcmRequest> arrived = fcm.requestsFor(token);
      assertThat(arrived).hasSize(3).allMatch(FcmRequest::accepted);
      assertThat(arrived).extracting(FcmRequest::project).containsOnly(PROJECT);
      assertThat(arrived).extracting(FcmRequest::protocol).containsOnly("HTTP/2.0");
      assertThat(arrived.get(0).data())
          .isEqualTo(
              Map.of(
                  "kind", "new-mail",
                  "registrationId", newMail.registrationId().value(),
                  "unread", "7"));
      assertThat(arrived.get(0).at("android", "priority")).isEqualTo("high");
      assertThat(arrived.get(0).at("android", "collapse_key"))
          .isEqualTo(newMail.registrationId().value());
      assertThat(arrived.get(0).at("android", "ttl")).isEqualTo("3600s");
      assertThat(arrived.get(0).at("notification")).isNull();
      assertThat(arrived.get(1).data())
          .containsEntry("unread", "0")
          .containsEntry("kind", "unread-changed");
      assertThat(arrived.get(1).at("android", "priority")).isEqualTo("normal");
      assertThat(arrived.get(2).data())
          .doesNotContainKey("unread")
          .containsEntry("kind", "resubscribe");
      assertThat(arrived.get(2).at("android", "priority")).isEqualTo("normal");
      // Real service-account credentials: a token was issued and is the one every send carries.
      assertThat(fcm.tokensIssued()).isPositive();
      assertThat(arrived.get(0).header("authorization"))
          .startsWith("Bearer ")
          .isNotEqualTo("Bearer " + FakeFcmServer.DEFAULT_ACCESS_TOKEN);
    }
  }

  @ParameterizedTest
  @EnumSource(FcmErrorCode.class)
  void everyFcmErrorCodeBecomesItsOutcome(FcmErrorCode code) {
    try (Running running = new Settings().start(Clock.systemUTC())) {
      String token = token();
      // firebase-admin retries a 503 four times by itself, waiting Retry-After (or 0.5 s, 1 s,
      // 2 s, 4 s without one); a short Retry-After keeps this test short.
      Duration retryAfter = Duration.ofSeconds(code == FcmErrorCode.UNAVAILABLE ? 1 : 0);
      fcm.failToken(token, FcmFailure.of(code).withRetryAfter(retryAfter));

      DispatchOutcome outcome = running.send(badge(token, 1));

      DispatchOutcome expected =
          FcmOutcomes.rejected(code.name(), code.httpStatus(), retryAfter, Instant.now());
      assertThat(outcome.getClass()).isEqualTo(expected.getClass());
      assertThat(outcome.reason()).isEqualTo(expected.reason());
      assertThat(fcm.requestsFor(token)).isNotEmpty().allMatch(r -> !r.accepted());
      assertThat(fcm.requestsFor(token).get(0).errorCode()).isEqualTo(code.name());
    }
  }

  @Test
  void quotaExceededWithoutRetryAfterWaitsAtLeastAMinute() {
    try (Running running = new Settings().start(Clock.systemUTC())) {
      String token = token();
      fcm.failToken(token, FcmFailure.of(FcmErrorCode.QUOTA_EXCEEDED));
      String later = token();
      fcm.failToken(
          later, FcmFailure.of(FcmErrorCode.QUOTA_EXCEEDED).withRetryAfter(Duration.ofSeconds(90)));

      assertThat(running.send(badge(token, 1)))
          .isEqualTo(new DispatchOutcome.Retryable(Duration.ofMinutes(1), "quota_exceeded"));
      assertThat(running.send(badge(later, 1)))
          .isEqualTo(new DispatchOutcome.Retryable(Duration.ofSeconds(90), "quota_exceeded"));
      assertThat(fcm.requestsFor(token)).hasSize(1);
    }
  }

  @Test
  void messagesAndTokenRequestsGoThroughAnHttpProxyWhenOneIsConfigured() {
    // The proxy, like an egress proxy, resolves fcm.googleapis.com; here to the fake.
    try (ConnectProxy proxy =
        ConnectProxy.start(
            Map.of(
                FcmTransports.FCM_HOST + ":443", new InetSocketAddress("127.0.0.1", fcm.port())))) {
      Settings settings = new Settings();
      settings.proxy = new FcmProperties.Proxy("127.0.0.1", proxy.port());
      int tokensBefore = fcm.tokensIssued();
      try (Running running = settings.start(Clock.systemUTC())) {
        String token = token();

        assertThat(running.send(badge(token, 2))).isInstanceOf(DispatchOutcome.Accepted.class);

        assertThat(fcm.requestsFor(token)).singleElement().matches(FcmRequest::accepted);
        assertThat(fcm.tokensIssued()).isGreaterThan(tokensBefore); // fetched through the proxy
        assertThat(proxy.tunnels()).isNotEmpty().containsOnly(FcmTransports.FCM_HOST + ":443");
      }
    }
  }

  @Test
  void severalProjectsInOneInstanceEachWithItsOwnServiceAccount() {
    String second = "second-project";
    Settings settings = new Settings();
    settings.more =
        List.of(new FcmProperties.Project(second, fcm.newServiceAccount(second).file()));
    try (Running running = settings.start(Clock.systemUTC())) {
      String first = token();
      String other = token();

      assertThat(running.send(badge(first, 1))).isInstanceOf(DispatchOutcome.Accepted.class);
      assertThat(running.send(push(second, other, PushKind.NEW_MAIL, 2, true)))
          .isInstanceOf(DispatchOutcome.Accepted.class);

      assertThat(fcm.requestsFor(first))
          .singleElement()
          .extracting(FcmRequest::project)
          .isEqualTo(PROJECT);
      assertThat(fcm.requestsFor(other))
          .singleElement()
          .extracting(FcmRequest::project)
          .isEqualTo(second);
      // Each project's own token: the second project's request does not carry the first's.
      assertThat(fcm.requestsFor(other).get(0).header("authorization"))
          .isNotEqualTo(fcm.requestsFor(first).get(0).header("authorization"));
    }
  }

  @Test
  void aProjectNotConfiguredIsAConfigurationErrorAndSendsNothing() {
    try (Running running = new Settings().start(Clock.systemUTC())) {
      assertThat(running.send(push("other-project", token(), PushKind.WAKE, null, false)))
          .isEqualTo(new DispatchOutcome.ConfigurationError(LaneReason.APP_NOT_CONFIGURED));
      assertThat(fcm.requests()).isEmpty();
    }
  }

  @Test
  void thePoolPassesOneAppsLimitAndHoldsItsOwnUnderABurst() throws Exception {
    Settings settings = new Settings();
    settings.apps = 3;
    settings.threads = 100;
    // What is checked is the pool's parallelism and that nothing is lost, not its throughput
    // (the FCM benchmark measures that): a cold client on a busy 2-core machine once needed more
    // than 10 s for the burst's last pushes (282 of 1,000 timed out in a clean CI run), so the
    // send timeout here is well beyond the burst's length.
    settings.sendTimeout = Duration.ofSeconds(45);
    // In flight is the client's send rate times the latency: with a cold JVM on two cores the
    // rate can be as low as ~300/s, so the latency must be long enough for more than one app's 100
    // to be in flight at once (300 ms was not, and the test failed without a fault in the pool).
    fcm.setLatency(Duration.ofSeconds(1));
    try (Running running = settings.start(Clock.systemUTC())) {
      // Every app of the pool connects and fetches its access token before the burst (a badge
      // would warm one app only, and the others would ramp up during the burst).
      running.dispatcher().warmUps().forEach(warmUp -> warmUp.call().block(TIMEOUT));
      fcm.resetCounters();
      String token = token();

      List<DispatchOutcome> outcomes =
          Flux.range(0, 1000)
              .flatMap(i -> running.dispatcher().dispatch(badge(token, i)), 1000)
              .collectList()
              .block(Duration.ofSeconds(90));

      assertThat(outcomes).hasSize(1000).allMatch(DispatchOutcome.Accepted.class::isInstance);
      assertThat(fcm.requestsFor(token)).hasSize(1000);
      // More than one app's ~100, never more than the pool's window of 300.
      assertThat(fcm.maxInFlight()).isGreaterThan(100).isLessThanOrEqualTo(300);
    } finally {
      fcm.setLatency(Duration.ZERO);
    }
  }

  @Test
  void theCircuitOpensWhileFcmFails() {
    Settings settings = new Settings();
    settings.circuit =
        new DispatchProperties.Circuit(50, 4, Duration.ofSeconds(30), Duration.ofSeconds(30), 2);
    try (Running running = settings.start(Clock.systemUTC())) {
      String failing = token();
      fcm.failToken(failing, FcmFailure.of(FcmErrorCode.INTERNAL));
      for (int i = 0; i < 4; i++) {
        assertThat(running.send(badge(failing, i)).reason()).isEqualTo("internal");
      }
      CircuitBreaker circuit =
          running.breakers().circuitBreaker("provider/fcm/" + PROJECT + "/fcm");
      assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);

      String healthy = token();
      assertThat(running.send(badge(healthy, 1)))
          .isEqualTo(
              new DispatchOutcome.Retryable(Duration.ofSeconds(30), LaneReason.CIRCUIT_OPEN));
      assertThat(fcm.requestsFor(healthy)).isEmpty();
    }
  }

  @Test
  void theDeadTokenValvePausesDeletionsForTheProject() {
    Settings settings = new Settings();
    settings.valve =
        new DispatchProperties.Valve(50, 4, Duration.ofMinutes(10), Duration.ofMinutes(30), 2);
    try (Running running = settings.start(Clock.systemUTC())) {
      for (int i = 0; i < 4; i++) {
        String dead = token();
        fcm.failToken(dead, FcmFailure.of(FcmErrorCode.UNREGISTERED));
        assertThat(running.send(badge(dead, 1))).isInstanceOf(DispatchOutcome.TokenDead.class);
      }
      String fifth = token();
      fcm.failToken(fifth, FcmFailure.of(FcmErrorCode.UNREGISTERED));

      assertThat(running.send(badge(fifth, 1)))
          .isEqualTo(new DispatchOutcome.ConfigurationError(LaneReason.DEAD_TOKEN_VALVE));
      assertThat(fcm.requestsFor(fifth)).singleElement().matches(r -> !r.accepted());
      assertThat(
              running
                  .meters()
                  .get(DispatchMetrics.DEAD_TOKENS_PAUSED)
                  .tag("app", PROJECT)
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void aSlowAnswerTimesOutAsRetryable() {
    Settings settings = new Settings();
    settings.sendTimeout = Duration.ofMillis(300);
    try (Running running = settings.start(Clock.systemUTC())) {
      running.send(badge(token(), 0)); // the access token first: its exchange is not the subject
      fcm.setLatency(Duration.ofSeconds(2));
      String token = token();

      assertThat(running.send(badge(token, 1)))
          .isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.TIMEOUT));
      await().atMost(TIMEOUT).until(() -> fcm.requestsFor(token).size() == 1);
    } finally {
      fcm.setLatency(Duration.ZERO);
    }
  }

  @Test
  void shutdownFinishesThePushesInFlight() throws Exception {
    Running running = new Settings().start(Clock.systemUTC());
    running.send(badge(token(), 0));
    fcm.setLatency(Duration.ofMillis(500));
    try {
      String token = token();
      CompletableFuture<List<DispatchOutcome>> outcomes =
          Flux.range(0, 5)
              .flatMap(i -> running.dispatcher().dispatch(badge(token, i)))
              .collectList()
              .toFuture();
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  running
                          .meters()
                          .get(DispatchMetrics.IN_FLIGHT)
                          .tag("app", PROJECT)
                          .gauge()
                          .value()
                      == 5);

      running.close();

      assertThat(outcomes.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .hasSize(5)
          .allMatch(DispatchOutcome.Accepted.class::isInstance);
      assertThat(fcm.requestsFor(token)).hasSize(5).allMatch(FcmRequest::accepted);
      assertThat(running.send(badge(token, 9)))
          .isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.SHUTTING_DOWN));
      assertThat(fcm.requestsFor(token)).hasSize(5);
    } finally {
      fcm.setLatency(Duration.ZERO);
    }
  }

  @Test
  void aMissingOrBadServiceAccountStopsStartUpNamingTheSetting() throws Exception {
    Settings settings = new Settings();
    settings.credentials = Path.of("/nonexistent/service-account.json");
    assertThatThrownBy(() -> settings.start(Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inboxpush.fcm.projects[0].credentials-file")
        .hasMessageContaining("/nonexistent/service-account.json");

    Path garbage = Files.createTempFile("service-account", ".json");
    Files.writeString(garbage, "{\"type\":\"service_account\"}");
    settings.credentials = garbage;
    assertThatThrownBy(() -> settings.start(Clock.systemUTC()))
        .hasMessageContaining("inboxpush.fcm.projects[0].credentials-file");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2026-11-27T12:00:00Z");
    assertThat(FcmDispatcher.retryAfter(List.of("120"), now)).isEqualTo(Duration.ofSeconds(120));
    assertThat(FcmDispatcher.retryAfter("Fri, 27 Nov 2026 12:01:30 GMT", now))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(FcmDispatcher.retryAfter(List.of("soon"), now)).isNull();
    assertThat(FcmDispatcher.retryAfter(null, now)).isNull();
    assertThat(FcmDispatcher.retryAfter(List.of("-5"), now)).isNull();
  }
}
