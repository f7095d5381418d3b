package dev.inboxpush.listener.dispatch.apns;

import static dev.inboxpush.listener.dispatch.apns.ApnsFixture.TOPIC;
import static dev.inboxpush.listener.dispatch.apns.ApnsFixture.badge;
import static dev.inboxpush.listener.dispatch.apns.ApnsFixture.push;
import static dev.inboxpush.listener.dispatch.apns.ApnsFixture.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.net.ConnectProxy;
import dev.inboxpush.testsupport.time.MutableClock;
import dev.inboxpush.testsupport.tls.TestPki;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

/**
 * The APNs dispatcher against pushy's MockApnsServer over TLS: the device contract as it arrives,
 * every rejection the mock can send, both kinds of credentials, several apps and environments, the
 * in-flight window, the queue bound, the circuit breaker, the dead-token valve, timeouts, lost
 * connections and shutdown. Every test checks what arrived at the mock.
 */
class ApnsDispatcherIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static MockApns mock;
  private static MockApns.SigningKey key;

  @BeforeAll
  static void startMock() {
    mock = MockApns.start();
    key = mock.newSigningKey("KEY0000001", TOPIC);
  }

  @AfterAll
  static void stopMock() {
    mock.close();
  }

  @BeforeEach
  void forget() {
    mock.reset();
  }

  private static ApnsFixture.Settings settings() {
    return ApnsFixture.settings(mock, List.of(ApnsFixture.tokenApp(TOPIC, key)));
  }

  private static String allowed() {
    String token = token();
    mock.allow(TOPIC, token);
    return token;
  }

  /** {@code count} badges to {@code token} at once; the outcomes once all are answered. */
  private static CompletableFuture<List<DispatchOutcome>> burst(
      ApnsFixture.Running running, String token, int count) {
    return Flux.range(0, count)
        .flatMap(i -> running.dispatcher().dispatch(badge(token, i)))
        .collectList()
        .toFuture();
  }

  private static DispatchOutcome send(ApnsFixture.Running running, Push push) {
    return running.dispatcher().dispatch(push).block(TIMEOUT);
  }

  @Test
  void pushesArriveExactlyAsTheDeviceContractSays() {
    try (ApnsFixture.Running running = settings().start(Clock.systemUTC())) {
      String token = allowed();
      Push newMail = badge(token, 7);
      Push quiet =
          push(TOPIC, ApnsEnvironment.PRODUCTION, token, PushKind.UNREAD_CHANGED, 3, false);
      Push wake = push(TOPIC, ApnsEnvironment.PRODUCTION, token, PushKind.NEW_MAIL, null, true);
      Instant before = Instant.now();

      assertThat(List.of(send(running, newMail), send(running, quiet), send(running, wake)))
          .allMatch(DispatchOutcome.Accepted.class::isInstance);

      List<MockApns.Received> arrived = mock.receivedFor(token);
      assertThat(arrived).hasSize(3).allMatch(MockApns.Received::accepted);
      assertThat(arrived).extracting(MockApns.Received::topic).containsOnly(TOPIC);
      assertThat(arrived.get(0).payload())
          .isEqualTo(
              "{\"aps\":{\"badge\":7,\"content-available\":1},\"inboxpush\":{\"kind\":\"new-mail\","
                  + "\"registrationId\":\""
                  + newMail.registrationId().value()
                  + "\"}}");
      assertThat(arrived.get(0).pushType()).isEqualTo(PushType.ALERT);
      assertThat(arrived.get(0).priority()).isEqualTo(DeliveryPriority.IMMEDIATE);
      assertThat(arrived.get(0).collapseId()).isEqualTo(newMail.registrationId().value());
      assertThat(arrived.get(0).expiration())
          .isBetween(
              before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));

      assertThat(arrived.get(1).payload())
          .startsWith("{\"aps\":{\"badge\":3,\"content-available\":1}");
      assertThat(arrived.get(1).payload()).contains("\"kind\":\"unread-changed\"");
      assertThat(arrived.get(1).pushType()).isEqualTo(PushType.ALERT);
      assertThat(arrived.get(1).priority()).isEqualTo(DeliveryPriority.CONSERVE_POWER);
      assertThat(arrived.get(1).collapseId()).isEqualTo(quiet.registrationId().value());

      assertThat(arrived.get(2).payload())
          .isEqualTo(
              "{\"aps\":{\"content-available\":1},\"inboxpush\":{\"kind\":\"new-mail\","
                  + "\"registrationId\":\""
                  + wake.registrationId().value()
                  + "\"}}");
      assertThat(arrived.get(2).pushType()).isEqualTo(PushType.BACKGROUND);
      assertThat(arrived.get(2).priority()).isEqualTo(DeliveryPriority.CONSERVE_POWER);
    }
  }

  @ParameterizedTest
  @EnumSource(RejectionReason.class)
  void everyRejectionTheMockSendsBecomesItsOutcome(RejectionReason reason) {
    try (ApnsFixture.Running running = settings().start(Clock.systemUTC())) {
      String token = allowed();
      mock.script(token, new MockApns.Reject(reason));

      DispatchOutcome outcome = send(running, badge(token, 1));

      ApnsOutcomes.Reason row = ApnsOutcomes.Reason.valueOf(reason.name());
      assertThat(outcome.reason()).isEqualTo(row.label());
      assertThat(outcome)
          .isInstanceOf(
              switch (row.category()) {
                case DEAD -> DispatchOutcome.TokenDead.class;
                case DEAD_IF_ACCEPTED_BEFORE, CONFIGURATION ->
                    DispatchOutcome.ConfigurationError.class;
                case RETRYABLE -> DispatchOutcome.Retryable.class;
                case FAILED -> DispatchOutcome.Failed.class;
              });
      assertThat(mock.receivedFor(token))
          .singleElement()
          .extracting(MockApns.Received::rejection)
          .isEqualTo(reason);
      assertThat(running.pushes(outcome.label(), row.label())).isEqualTo(1);
    }
  }

  @Test
  void anErrorInsideApnsIsRetryableAndCountsForTheCircuit() {
    try (ApnsFixture.Running running = settings().start(Clock.systemUTC())) {
      String token = allowed();
      mock.script(token, new MockApns.Fail());

      DispatchOutcome outcome = send(running, badge(token, 1));

      assertThat(outcome).isEqualTo(new DispatchOutcome.Retryable(null, "internal_server_error"));
      assertThat(ApnsOutcomes.providerTrouble(outcome)).isTrue();
      assertThat(mock.receivedFor(token))
          .singleElement()
          .extracting(MockApns.Received::rejection)
          .isEqualTo(RejectionReason.INTERNAL_SERVER_ERROR);
    }
  }

  @Test
  void anUnregisteredTokenIsDeadSinceTheTimestampApnsGives() {
    try (ApnsFixture.Running running = settings().start(Clock.systemUTC())) {
      String token = allowed();
      Instant since = Instant.parse("2026-11-20T08:00:00Z");
      mock.unregister(token, since);

      DispatchOutcome outcome = send(running, badge(token, 1));

      assertThat(outcome).isEqualTo(new DispatchOutcome.TokenDead(since, "unregistered"));
      assertThat(mock.receivedFor(token)).singleElement().matches(r -> !r.accepted());
    }
  }

  @Test
  void badDeviceTokenIsDeadOnlyForATokenAcceptedBeforeInThatEnvironment() {
    try (ApnsFixture.Running running = settings().start(Clock.systemUTC())) {
      String token = allowed();
      mock.script(token, new MockApns.Reject(RejectionReason.BAD_DEVICE_TOKEN));

      DispatchOutcome neverAccepted = send(running, badge(token, 1));
      DispatchOutcome acceptedBefore = send(running, ApnsFixture.acceptedBefore(badge(token, 1)));

      assertThat(neverAccepted).isInstanceOf(DispatchOutcome.ConfigurationError.class);
      assertThat(acceptedBefore).isInstanceOf(DispatchOutcome.TokenDead.class);
      assertThat(mock.receivedFor(token)).hasSize(2);
    }
  }

  @Test
  void certificateAuthenticationAndSeveralAppsAndEnvironmentsInOneInstance() throws Exception {
    String certified = "com.example.certified";
    MockApns.ClientCertificate certificate =
        mock.newClientCertificate(certified, Duration.ofDays(90));
    try (MockApns sandbox = MockApns.start()) {
      sandbox.trust(key, TOPIC);
      Path bothRoots = TestPki.writeTemp(mock.rootPem() + sandbox.rootPem(), ".pem");
      ApnsFixture.Settings settings =
          ApnsFixture.settings(
              mock,
              List.of(
                  ApnsFixture.tokenApp(TOPIC, key),
                  ApnsFixture.certificateApp(certified, certificate)));
      settings.sandboxPort = sandbox.port();
      settings.trusted = bothRoots;
      try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
        String production = allowed();
        String sandboxToken = token();
        sandbox.allow(TOPIC, sandboxToken);
        String certifiedToken = token();
        mock.allow(certified, certifiedToken);

        assertThat(send(running, badge(production, 1)))
            .isInstanceOf(DispatchOutcome.Accepted.class);
        assertThat(
                send(
                    running,
                    push(TOPIC, ApnsEnvironment.SANDBOX, sandboxToken, PushKind.WAKE, null, false)))
            .isInstanceOf(DispatchOutcome.Accepted.class);
        assertThat(
                send(
                    running,
                    push(
                        certified,
                        ApnsEnvironment.PRODUCTION,
                        certifiedToken,
                        PushKind.NEW_MAIL,
                        2,
                        true)))
            .isInstanceOf(DispatchOutcome.Accepted.class);
        // The certificate app has no sandbox: a configuration error, and nothing is sent.
        assertThat(
                send(
                    running,
                    push(
                        certified,
                        ApnsEnvironment.SANDBOX,
                        certifiedToken,
                        PushKind.NEW_MAIL,
                        2,
                        true)))
            .isEqualTo(new DispatchOutcome.ConfigurationError(LaneReason.APP_NOT_CONFIGURED));
        assertThat(
                send(
                    running,
                    push(
                        "com.example.unknown",
                        ApnsEnvironment.PRODUCTION,
                        production,
                        PushKind.WAKE,
                        null,
                        false)))
            .isEqualTo(new DispatchOutcome.ConfigurationError(LaneReason.APP_NOT_CONFIGURED));

        assertThat(mock.receivedFor(production))
            .singleElement()
            .matches(MockApns.Received::accepted);
        assertThat(sandbox.receivedFor(sandboxToken))
            .singleElement()
            .matches(MockApns.Received::accepted);
        assertThat(mock.receivedFor(certifiedToken))
            .singleElement()
            .matches(r -> r.accepted() && r.topic().equals(certified));
        assertThat(mock.received()).hasSize(2);
        assertThat(running.meters().get(ApnsCredentials.CERTIFICATE_EXPIRY).gauge().value())
            .isBetween(
                (double) Duration.ofDays(89).toSeconds(), (double) Duration.ofDays(90).toSeconds());
        assertThat(running.meters().get(ApnsCredentials.KEY_AGE).tag("app", TOPIC).gauge().value())
            .isBetween(0.0, 600.0);
      }
    }
  }

  @Test
  void pushesGoThroughAnHttpProxyWhenOneIsConfigured() {
    try (ConnectProxy proxy = ConnectProxy.start(Map.of())) {
      ApnsFixture.Settings settings = settings();
      settings.proxy = new ApnsProperties.Proxy("127.0.0.1", proxy.port(), null, null);
      try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
        String token = allowed();

        assertThat(send(running, badge(token, 3))).isInstanceOf(DispatchOutcome.Accepted.class);

        assertThat(mock.receivedFor(token)).singleElement().matches(MockApns.Received::accepted);
        assertThat(proxy.tunnels()).containsExactly("localhost:" + mock.port());
      }
    }
  }

  @Test
  void theWindowHoldsUnderABurstLargerThanIt() throws Exception {
    ApnsFixture.Settings settings = settings();
    settings.window = 8;
    try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
      String token = allowed();
      mock.script(token, new MockApns.Hold());

      CompletableFuture<List<DispatchOutcome>> outcomes = burst(running, token, 50);

      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  running.gauge(DispatchMetrics.IN_FLIGHT, "production") == 8
                      && running.gauge(DispatchMetrics.QUEUED, "production") == 42);
      // pushy wrote exactly the window to the wire, no more.
      await().atMost(TIMEOUT).until(() -> running.sentToTheWire("production") == 8);
      // One more push makes the lane decide again with its window full: once it is queued, the
      // lane has had its chance to overflow, and the wire must still hold only the window.
      CompletableFuture<List<DispatchOutcome>> oneMore = burst(running, token, 1);
      await()
          .atMost(TIMEOUT)
          .until(() -> running.gauge(DispatchMetrics.QUEUED, "production") == 43);
      assertThat(running.sentToTheWire("production")).isEqualTo(8);
      assertThat(running.gauge(DispatchMetrics.IN_FLIGHT, "production")).isEqualTo(8);

      mock.unscript(token);
      mock.release();

      assertThat(outcomes.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .hasSize(50)
          .allMatch(DispatchOutcome.Accepted.class::isInstance);
      assertThat(oneMore.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .singleElement()
          .isInstanceOf(DispatchOutcome.Accepted.class);
      assertThat(mock.receivedFor(token)).hasSize(51).allMatch(MockApns.Received::accepted);
      assertThat(running.gauge(DispatchMetrics.IN_FLIGHT, "production")).isZero();
    }
  }

  @Test
  void aFullQueueAnswersAtOnceAndSendsNothingMore() throws Exception {
    ApnsFixture.Settings settings = settings();
    settings.window = 1;
    settings.queue = 5;
    try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
      String token = allowed();
      mock.script(token, new MockApns.Hold());

      CompletableFuture<List<DispatchOutcome>> outcomes = burst(running, token, 20);
      await()
          .atMost(TIMEOUT)
          .until(() -> running.pushes("retryable", LaneReason.QUEUE_FULL.tag()) == 14);
      mock.unscript(token);
      mock.release();

      assertThat(outcomes.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .filteredOn(DispatchOutcome.Accepted.class::isInstance)
          .hasSize(6);
      assertThat(mock.receivedFor(token)).hasSize(6);
    }
  }

  @Test
  void theCircuitOpensWhileApnsFailsAndClosesAfterATrial() {
    ApnsFixture.Settings settings = settings();
    settings.circuit =
        new DispatchProperties.Circuit(50, 4, Duration.ofSeconds(30), Duration.ofSeconds(30), 2);
    MutableClock clock = MutableClock.startingAt("2026-11-27T12:00:00Z");
    try (ApnsFixture.Running running = settings.start(clock)) {
      String failing = allowed();
      String healthy = allowed();
      mock.script(failing, new MockApns.Fail());
      CircuitBreaker circuit =
          running.breakers().circuitBreaker("provider/apns/" + TOPIC + "/production");

      for (int i = 0; i < 4; i++) {
        assertThat(send(running, badge(failing, i)).reason()).isEqualTo("internal_server_error");
      }
      assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);

      assertThat(send(running, badge(healthy, 1)))
          .isEqualTo(
              new DispatchOutcome.Retryable(Duration.ofSeconds(30), LaneReason.CIRCUIT_OPEN));
      assertThat(mock.receivedFor(healthy)).isEmpty();
      assertThat(mock.receivedFor(failing)).hasSize(4);
      // The sandbox lane is another circuit: still closed.
      assertThat(
              running.breakers().circuitBreaker("provider/apns/" + TOPIC + "/sandbox").getState())
          .isEqualTo(CircuitBreaker.State.CLOSED);

      clock.advance(Duration.ofSeconds(31));
      assertThat(send(running, badge(healthy, 2))).isInstanceOf(DispatchOutcome.Accepted.class);
      assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
      assertThat(send(running, badge(healthy, 3))).isInstanceOf(DispatchOutcome.Accepted.class);
      assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(mock.receivedFor(healthy)).hasSize(2).allMatch(MockApns.Received::accepted);
    }
  }

  @Test
  void theDeadTokenValvePausesDeletionsForOneAppOnly() {
    String other = "com.example.other";
    MockApns.SigningKey otherKey = mock.newSigningKey("KEY0000002", other);
    ApnsFixture.Settings settings =
        ApnsFixture.settings(
            mock, List.of(ApnsFixture.tokenApp(TOPIC, key), ApnsFixture.tokenApp(other, otherKey)));
    settings.valve =
        new DispatchProperties.Valve(50, 4, Duration.ofMinutes(10), Duration.ofMinutes(30), 2);
    try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
      for (int i = 0; i < 4; i++) {
        String dead = allowed();
        mock.unregister(dead, Instant.now());
        assertThat(send(running, badge(dead, 1))).isInstanceOf(DispatchOutcome.TokenDead.class);
      }
      String fifth = allowed();
      mock.unregister(fifth, Instant.now());
      String otherDead = token();
      mock.allow(other, otherDead);
      mock.unregister(otherDead, Instant.now());

      assertThat(send(running, badge(fifth, 1)))
          .isEqualTo(new DispatchOutcome.ConfigurationError(LaneReason.DEAD_TOKEN_VALVE));
      assertThat(
              send(
                  running,
                  push(other, ApnsEnvironment.PRODUCTION, otherDead, PushKind.WAKE, null, false)))
          .isInstanceOf(DispatchOutcome.TokenDead.class);
      assertThat(mock.receivedFor(fifth)).singleElement().matches(r -> !r.accepted());
      assertThat(
              running
                  .meters()
                  .get(DispatchMetrics.DEAD_TOKENS_PAUSED)
                  .tag("app", TOPIC)
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void aSlowAnswerTimesOutAsRetryable() {
    ApnsFixture.Settings settings = settings();
    settings.sendTimeout = Duration.ofMillis(300);
    try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
      String token = allowed();
      mock.script(token, new MockApns.Hold());
      try {
        assertThat(send(running, badge(token, 1)))
            .isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.TIMEOUT));
      } finally {
        mock.unscript(token);
        mock.release();
      }
      await().atMost(TIMEOUT).until(() -> mock.receivedFor(token).size() == 1);
    }
  }

  @Test
  void anUnreachableApnsIsATransportFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ApnsFixture.Settings settings = settings();
    settings.sandboxPort = closedPort;
    try (ApnsFixture.Running running = settings.start(Clock.systemUTC())) {
      DispatchOutcome outcome =
          send(running, push(TOPIC, ApnsEnvironment.SANDBOX, token(), PushKind.WAKE, null, false));

      assertThat(outcome).isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.TRANSPORT));
      assertThat(ApnsOutcomes.providerTrouble(outcome)).isTrue();
      assertThat(mock.received()).isEmpty();
    }
  }

  @Test
  void shutdownFinishesThePushesInFlight() throws Exception {
    ApnsFixture.Running running = settings().start(Clock.systemUTC());
    String token = allowed();
    mock.script(token, new MockApns.Hold());
    CompletableFuture<List<DispatchOutcome>> outcomes = burst(running, token, 5);
    await()
        .atMost(TIMEOUT)
        .until(() -> running.gauge(DispatchMetrics.IN_FLIGHT, "production") == 5);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(running::close);
    String late = allowed();
    // Once shutdown has begun, new pushes are refused at once while the held ones are waited for.
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                new DispatchOutcome.Retryable(null, LaneReason.SHUTTING_DOWN)
                    .equals(running.dispatcher().dispatch(badge(late, 1)).block(TIMEOUT)));
    assertThat(closed).isNotDone();
    mock.unscript(token);
    mock.release();

    closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(outcomes.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .hasSize(5)
        .allMatch(DispatchOutcome.Accepted.class::isInstance);
    assertThat(mock.receivedFor(token)).hasSize(5).allMatch(MockApns.Received::accepted);
  }

  @Test
  void shutdownGivesUpOnAnAnswerThatNeverComesWithinItsBound() throws Exception {
    ApnsFixture.Settings settings = settings();
    settings.shutdownTimeout = Duration.ofMillis(500);
    ApnsFixture.Running running = settings.start(Clock.systemUTC());
    String token = allowed();
    mock.script(token, new MockApns.Hold());
    try {
      CompletableFuture<DispatchOutcome> outcome =
          running.dispatcher().dispatch(badge(token, 1)).toFuture();
      await()
          .atMost(TIMEOUT)
          .until(() -> running.gauge(DispatchMetrics.IN_FLIGHT, "production") == 1);

      long start = System.nanoTime();
      CompletableFuture.runAsync(running::close).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // Answered by the lane at the deadline, not left to the provider's close.
      assertThat(outcome.get(1, TimeUnit.SECONDS))
          .isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.SHUTTING_DOWN));
      assertThat(took).isLessThan(Duration.ofSeconds(5)); // the bound is 0.5 s; generous on CI
    } finally {
      mock.unscript(token);
      mock.release();
    }
  }

  @Test
  void aMissingOrBadKeyStopsStartUpNamingTheSetting() throws Exception {
    Path missing = Path.of("/nonexistent/AuthKey.p8");
    ApnsFixture.Settings settings =
        ApnsFixture.settings(
            mock,
            List.of(
                new ApnsProperties.App(
                    TOPIC,
                    Set.of(ApnsEnvironment.PRODUCTION),
                    new ApnsProperties.Token(missing, "KEY0000001", MockApns.TEAM_ID),
                    null)));
    assertThatThrownBy(() -> settings.start(Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inboxpush.apns.apps[0].token.key-file")
        .hasMessageContaining(missing.toString());

    Path garbage = Files.createTempFile("garbage", ".p8");
    Files.writeString(
        garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    settings.apps =
        List.of(
            new ApnsProperties.App(
                TOPIC,
                Set.of(ApnsEnvironment.PRODUCTION),
                new ApnsProperties.Token(garbage, "KEY0000001", MockApns.TEAM_ID),
                null));
    assertThatThrownBy(() -> settings.start(Clock.systemUTC()))
        .hasMessageContaining("inboxpush.apns.apps[0].token");

    MockApns.ClientCertificate certificate = mock.newClientCertificate(TOPIC, Duration.ofDays(1));
    settings.apps =
        List.of(
            new ApnsProperties.App(
                TOPIC,
                Set.of(ApnsEnvironment.PRODUCTION),
                null,
                new ApnsProperties.Certificate(certificate.p12File(), "wrong password")));
    assertThatThrownBy(() -> settings.start(Clock.systemUTC()))
        .hasMessageContaining("inboxpush.apns.apps[0].certificate.password");

    settings.apps =
        List.of(
            new ApnsProperties.App(
                TOPIC,
                Set.of(ApnsEnvironment.PRODUCTION),
                new ApnsProperties.Token(garbage, "KEY0000001", MockApns.TEAM_ID),
                new ApnsProperties.Certificate(certificate.p12File(), null)));
    assertThatThrownBy(settings::properties)
        .hasMessageContaining("inboxpush.apns.apps[0]: set exactly one of token");
  }
}
