package dev.inboxpush.listener.dispatch.apns;

import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.testsupport.apns.MockApns;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds APNs dispatchers against a {@link MockApns}: settings with test-sized defaults, a private
 * meter and breaker registry per dispatcher, and pushes.
 */
final class ApnsFixture {

  static final String TOPIC = "com.example.mail";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApnsFixture() {}

  static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static ApnsProperties.App tokenApp(String topic, MockApns.SigningKey key) {
    return new ApnsProperties.App(
        topic,
        Set.of(ApnsEnvironment.PRODUCTION, ApnsEnvironment.SANDBOX),
        new ApnsProperties.Token(key.p8File(), key.keyId(), key.teamId()),
        null);
  }

  static ApnsProperties.App certificateApp(String topic, MockApns.ClientCertificate certificate) {
    return new ApnsProperties.App(
        topic,
        Set.of(ApnsEnvironment.PRODUCTION),
        null,
        new ApnsProperties.Certificate(certificate.p12File(), certificate.password()));
  }

  /** Settings: both environments at {@code mock}, window 64, queue 256, 5 s send timeout. */
  static Settings settings(MockApns mock, List<ApnsProperties.App> apps) {
    return new Settings(mock, apps);
  }

  /** Mutable test settings turned into {@link ApnsProperties}. */
  static final class Settings {
    final MockApns mock;
    List<ApnsProperties.App> apps;
    int window = 64;
    int queue = 256;
    Duration sendTimeout = Duration.ofSeconds(5);
    Duration shutdownTimeout = Duration.ofSeconds(5);
    int sandboxPort;
    ApnsProperties.@Nullable Proxy proxy;
    @Nullable Path trusted;
    DispatchProperties.Circuit circuit =
        new DispatchProperties.Circuit(50, 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 5);
    DispatchProperties.Valve valve =
        new DispatchProperties.Valve(50, 50, Duration.ofMinutes(10), Duration.ofMinutes(30), 20);

    Settings(MockApns mock, List<ApnsProperties.App> apps) {
      this.mock = mock;
      this.apps = apps;
      this.sandboxPort = mock.port();
    }

    ApnsProperties properties() {
      return new ApnsProperties(
          apps,
          new ApnsProperties.Endpoint("localhost", mock.port()),
          new ApnsProperties.Endpoint("127.0.0.1", sandboxPort),
          trusted != null ? trusted : mock.trustedCertificates(),
          1,
          window,
          queue,
          sendTimeout,
          Duration.ofHours(1),
          Duration.ofSeconds(5),
          shutdownTimeout,
          1,
          proxy);
    }

    Running start(Clock clock) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
      ApnsDispatcher dispatcher =
          ApnsDispatcher.start(
              properties(),
              new DispatchProperties(
                  circuit, valve, new DispatchProperties.WarmUpSettings(Duration.ZERO)),
              breakers,
              new DispatchMetrics(meters),
              clock);
      return new Running(dispatcher, meters, breakers);
    }
  }

  /** A started dispatcher with its registries. Close it. */
  record Running(
      ApnsDispatcher dispatcher, SimpleMeterRegistry meters, CircuitBreakerRegistry breakers)
      implements AutoCloseable {

    @Override
    public void close() {
      dispatcher.close();
    }

    double gauge(String name, String environment) {
      return meters.get(name).tag("environment", environment).gauge().value();
    }

    /** What pushy's own metrics listener counts as written to the wire. */
    double sentToTheWire(String environment) {
      return meters.get("notifications.sent").tag("environment", environment).counter().count();
    }

    /** Pushes counted with this outcome and reason, over every app (each app has its counter). */
    double pushes(String outcome, String reason) {
      return meters
          .find(DispatchMetrics.PUSHES)
          .tag("outcome", outcome)
          .tag("reason", reason)
          .counters()
          .stream()
          .mapToDouble(counter -> counter.count())
          .sum();
    }
  }

  static Push push(
      String topic,
      ApnsEnvironment environment,
      String token,
      PushKind kind,
      @Nullable Integer badge,
      boolean newMail) {
    RegistrationId id = RegistrationId.random();
    return new Push(
        id,
        AppId.of(topic),
        environment,
        DeviceToken.of(Platform.APNS, token),
        kind,
        badge,
        newMail,
        id.value(),
        null);
  }

  static Push badge(String token, int badge) {
    return push(TOPIC, ApnsEnvironment.PRODUCTION, token, PushKind.NEW_MAIL, badge, true);
  }

  static Push acceptedBefore(Push push) {
    return push.withLastAcceptedAt(Instant.parse("2026-11-01T00:00:00Z"));
  }
}
