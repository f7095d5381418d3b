package dev.inboxpush.listener.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.inboxpush.listener.ListenerApplication;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.fcm.FakeServiceAccount;
import dev.inboxpush.testsupport.fcm.FcmRequest;
import dev.inboxpush.testsupport.tls.TestPki;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The start-up warm-up in the real listener application, against real peers: pushy's MockApnsServer
 * over TLS, the fake FCM server through the real firebase-admin client, dynalite. Each test starts
 * the application itself, so that it sees the moment the instance first reports ready ({@code
 * ReadinessState.ACCEPTING_TRAFFIC}) and what the peers had received by then.
 */
@ExtendWith(OutputCaptureExtension.class)
class WarmUpIT {

  /** The warm-up's token on both platforms; pinned here by the first test. */
  private static final String WARM_UP_TOKEN = "inboxpush-warm-up";

  private static final String APP = "com.example.mail";
  private static final String PROJECT = "demo-project";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final MockApns MOCK = MockApns.start();
  private static final MockApns.SigningKey KEY = MOCK.newSigningKey("KEY0000001", APP);
  private static final FakeFcmServer FCM = FakeFcmServer.builder().build().start();
  private static final String FCM_TRUST =
      TestPki.writeTemp(FCM.trustRoot().getCertificatePEM(), ".pem").toString();

  @AfterAll
  static void stopPeers() {
    MOCK.close();
    FCM.close();
  }

  @BeforeEach
  void forgetWhatArrived() {
    MOCK.reset();
    FCM.reset();
  }

  /** What the peers had received when the instance first reported ready, and when that was. */
  private static final class Moments {
    volatile long startedAt;
    volatile long readyAt;
    volatile @Nullable List<MockApns.Received> apnsAtReady;
    volatile @Nullable List<FcmRequest> fcmAtReady;
    volatile int fcmTokensAtReady = -1;
    final List<ReadinessState> readiness = new CopyOnWriteArrayList<>();

    /** Sees every event of the application, on the thread that publishes it. */
    ApplicationListener<ApplicationEvent> listener() {
      return event -> {
        if (event instanceof ApplicationStartedEvent) {
          startedAt = System.nanoTime();
        }
        if (event instanceof AvailabilityChangeEvent<?> change
            && change.getState() instanceof ReadinessState state) {
          if (state == ReadinessState.ACCEPTING_TRAFFIC && readiness.isEmpty()) {
            readyAt = System.nanoTime();
            apnsAtReady = MOCK.received();
            fcmAtReady = FCM.requests();
            fcmTokensAtReady = FCM.tokensIssued();
          }
          readiness.add(state);
        }
      };
    }

    Duration startedToReady() {
      return Duration.ofNanos(readyAt - startedAt);
    }
  }

  private static ConfigurableApplicationContext start(
      Moments moments, Map<String, String> settings) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--server.port=0");
    arguments.add("--management.server.port=0");
    arguments.add("--inboxpush.listener.outbox.enabled=false");
    settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    // Command-line arguments outrank application.yml; default properties would not.
    return new SpringApplicationBuilder(ListenerApplication.class)
        .listeners(moments.listener())
        .run(arguments.toArray(String[]::new));
  }

  private static Map<String, String> store(String table) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("inboxpush.region", "eu-west-1");
    settings.put("inboxpush.dynamodb.endpoint", Dynalite.shared().endpoint().toString());
    settings.put("inboxpush.dynamodb.table-name", table);
    settings.put("inboxpush.dynamodb.create-table", "true");
    return settings;
  }

  private static Map<String, String> fcm(String credentialsFile, String baseUrl) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("inboxpush.fcm.projects[0].project-id", PROJECT);
    settings.put("inboxpush.fcm.projects[0].credentials-file", credentialsFile);
    settings.put("inboxpush.fcm.base-url", baseUrl);
    settings.put("inboxpush.fcm.trusted-server-certificates", FCM_TRUST);
    settings.put("inboxpush.fcm.apps-per-project", "2");
    return settings;
  }

  private static double warmUps(
      MeterRegistry registry, String platform, String app, String outcome) {
    Counter counter =
        registry
            .find(DispatchMetrics.WARM_UPS)
            .tags("platform", platform, "app", app, "outcome", outcome)
            .counter();
    assertThat(counter).as("%s %s %s", platform, app, outcome).isNotNull();
    return counter.count();
  }

  private static double sum(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Every circuit and valve exists, and none recorded a single call. */
  private static void assertNoBreakerSawAnything(ConfigurableApplicationContext context) {
    List<CircuitBreaker> breakers =
        List.copyOf(context.getBean(CircuitBreakerRegistry.class).getAllCircuitBreakers());
    assertThat(breakers)
        .extracting(CircuitBreaker::getName)
        .containsExactlyInAnyOrder(
            "provider/apns/" + APP + "/production",
            "provider/apns/" + APP + "/sandbox",
            "provider/fcm/" + PROJECT + "/fcm",
            "dead-tokens/apns/" + APP,
            "dead-tokens/fcm/" + PROJECT);
    for (CircuitBreaker breaker : breakers) {
      assertThat(breaker.getState()).as(breaker.getName()).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).as(breaker.getName()).isZero();
      assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isZero();
    }
  }

  /** The readiness probe as a load balancer reads it, on the management port. */
  private static HttpResponse<String> readiness(ConfigurableApplicationContext context)
      throws IOException, InterruptedException {
    int port = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyLaneWarmsBeforeTheInstanceFirstReportsReadyAndNoPushIsCounted() throws Exception {
    Map<String, String> settings = store("warm-up-" + UUID.randomUUID());
    settings.putAll(MOCK.listenerProperties(KEY, APP));
    settings.putAll(fcm(FCM.newServiceAccount(PROJECT).file().toString(), FCM.baseUrl()));
    settings.put("inboxpush.dispatch.warm-up.deadline", "10s");
    Moments moments = new Moments();

    try (ConfigurableApplicationContext context = start(moments, settings)) {
      // When readiness first said ACCEPTING_TRAFFIC, APNs had the warm-up push of both
      // environments (refused as a token no device can have) ...
      assertThat(moments.readiness).startsWith(ReadinessState.ACCEPTING_TRAFFIC);
      assertThat(moments.apnsAtReady)
          .hasSize(2)
          .allSatisfy(
              push -> {
                assertThat(push.token()).isEqualTo(WARM_UP_TOKEN);
                assertThat(push.topic()).isEqualTo(APP);
                assertThat(push.rejection()).isEqualTo(RejectionReason.BAD_DEVICE_TOKEN);
              });
      // ... and FCM had issued an access token and served a dry run from each app of the pool.
      assertThat(moments.fcmTokensAtReady).isPositive();
      assertThat(moments.fcmAtReady)
          .hasSize(2)
          .allSatisfy(
              request -> {
                assertThat(request.token()).isEqualTo(WARM_UP_TOKEN);
                assertThat(request.project()).isEqualTo(PROJECT);
                assertThat(request.body()).contains("\"validate_only\":true");
                assertThat(request.accepted()).isTrue();
              });
      // Warm well before the deadline.
      assertThat(moments.startedToReady()).isLessThan(Duration.ofSeconds(10));

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(warmUps(registry, "apns", APP, "warmed")).isEqualTo(2);
      assertThat(warmUps(registry, "fcm", PROJECT, "warmed")).isEqualTo(1);
      for (String outcome : List.of("failed", "timed_out", "refused")) {
        assertThat(warmUps(registry, "apns", APP, outcome)).isZero();
        assertThat(warmUps(registry, "fcm", PROJECT, outcome)).isZero();
      }
      assertThat(sum(registry, DispatchMetrics.PUSHES)).isZero();
      assertThat(sum(registry, "inboxpush.listener.pushes")).isZero();
      assertNoBreakerSawAnything(context);
      HttpResponse<String> ready = readiness(context);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"UP\"");
    }
  }

  @Test
  void providersThatNeverAnswerDelayReadinessByTheDeadlineOnly(CapturedOutput output)
      throws Exception {
    Duration deadline = Duration.ofSeconds(1);
    try (SilentServer silent = new SilentServer();
        FakeFcmServer hanging = FakeFcmServer.builder().build().start()) {
      hanging.setLatency(Duration.ofSeconds(60));
      Map<String, String> settings = store("warm-up-silent-" + UUID.randomUUID());
      settings.putAll(MOCK.listenerProperties(KEY, APP));
      // TCP is accepted, TLS never answered.
      for (String environment : List.of("production", "sandbox")) {
        settings.put("inboxpush.apns." + environment + ".host", "127.0.0.1");
        settings.put("inboxpush.apns." + environment + ".port", Integer.toString(silent.port()));
      }
      settings.put("inboxpush.apns.shutdown-timeout", "2s");
      settings.putAll(fcm(hanging.newServiceAccount(PROJECT).file().toString(), hanging.baseUrl()));
      settings.put(
          "inboxpush.fcm.trusted-server-certificates",
          TestPki.writeTemp(hanging.trustRoot().getCertificatePEM(), ".pem").toString());
      settings.put("inboxpush.fcm.shutdown-timeout", "2s");
      settings.put("inboxpush.dispatch.warm-up.deadline", "1s");
      Moments moments = new Moments();

      try (ConfigurableApplicationContext context = start(moments, settings)) {
        assertThat(moments.readiness).startsWith(ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(moments.startedToReady()).isBetween(deadline, deadline.plusSeconds(3));
        assertThat(silent.accepted()).isPositive(); // the warm-up did reach it
        assertThat(hanging.received()).isPositive();

        MeterRegistry registry = context.getBean(MeterRegistry.class);
        assertThat(warmUps(registry, "apns", APP, "timed_out")).isEqualTo(2);
        assertThat(warmUps(registry, "fcm", PROJECT, "timed_out")).isEqualTo(1);
        assertThat(warmUps(registry, "apns", APP, "warmed")).isZero();
        assertThat(sum(registry, DispatchMetrics.PUSHES)).isZero();
        assertThat(readiness(context).statusCode()).isEqualTo(200);
        assertThat(output.getOut())
            .contains(
                "warm-up of lane apns/" + APP + "/production: timed_out",
                "warm-up of lane apns/" + APP + "/sandbox: timed_out",
                "warm-up of lane fcm/" + PROJECT + "/fcm: timed_out",
                "inboxpush.dispatch.warm-up.deadline")
            .contains("WARN");
      }
    }
  }

  @Test
  void refusedCredentialsAreWarnedAboutAndTheInstanceBecomesReadyAnyway(CapturedOutput output)
      throws Exception {
    String table = "warm-up-refused-" + UUID.randomUUID();
    Map<String, String> settings = store(table);
    // A key APNs does not know. pushy's mock checks the device token before the credentials, APNs
    // the credentials first, so the mock is told what APNs answers such a key.
    settings.putAll(MOCK.listenerProperties(unknownSigningKey(), APP));
    MOCK.script(WARM_UP_TOKEN, new MockApns.Reject(RejectionReason.INVALID_PROVIDER_TOKEN));
    // A service account Google's token endpoint does not know: it refuses the grant.
    FakeServiceAccount unknown = FakeServiceAccount.generate(PROJECT, FCM.tokenUri());
    settings.putAll(fcm(unknown.file().toString(), FCM.baseUrl()));
    settings.put("inboxpush.dispatch.warm-up.deadline", "10s");
    // Devices registered before the instance starts: nothing may delete them.
    Registration iphone;
    Registration android;
    try (DynamoStore store =
        DynamoStore.using(
            Dynalite.shared().sharedClient(),
            new StoreSettings(table, true, Dynalite.shared().endpoint(), null, 0, 0, null),
            Clock.systemUTC())) {
      String apnsToken = HexFormat.of().formatHex(random(32));
      MOCK.allow(APP, apnsToken);
      iphone = register(store, APP, ApnsEnvironment.PRODUCTION, Platform.APNS, apnsToken);
      android =
          register(
              store,
              PROJECT,
              null,
              Platform.FCM,
              java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random(96)));
    }
    Moments moments = new Moments();

    try (ConfigurableApplicationContext context = start(moments, settings)) {
      assertThat(moments.readiness).startsWith(ReadinessState.ACCEPTING_TRAFFIC);
      assertThat(moments.apnsAtReady)
          .hasSize(2)
          .allSatisfy(
              push ->
                  assertThat(push.rejection()).isEqualTo(RejectionReason.INVALID_PROVIDER_TOKEN));
      assertThat(FCM.tokenRefusals())
          .isNotEmpty()
          .allMatch(refusal -> refusal.startsWith("invalid_grant"));
      assertThat(FCM.requests()).isEmpty(); // no access token, no send

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(warmUps(registry, "apns", APP, "refused")).isEqualTo(2);
      assertThat(warmUps(registry, "fcm", PROJECT, "refused")).isEqualTo(1);
      assertThat(sum(registry, DispatchMetrics.PUSHES)).isZero();
      assertThat(sum(registry, DispatchMetrics.DEAD_TOKENS_PAUSED)).isZero();
      assertNoBreakerSawAnything(context);
      assertThat(readiness(context).statusCode()).isEqualTo(200);
      DynamoStore store = context.getBean(DynamoStore.class);
      assertThat(store.registrations().findById(iphone.id()).block(TIMEOUT)).isNotNull();
      assertThat(store.registrations().findById(android.id()).block(TIMEOUT)).isNotNull();
      assertThat(output.getOut())
          .contains(
              "warm-up of lane apns/"
                  + APP
                  + "/production: credentials or topic refused"
                  + " (invalid_provider_token)",
              "warm-up of lane apns/" + APP + "/sandbox: credentials or topic refused",
              "warm-up of lane fcm/" + PROJECT + "/fcm: credentials or topic refused")
          .doesNotContain("PRIVATE KEY")
          .doesNotContain(iphone.deviceToken().value())
          .doesNotContain(android.deviceToken().value());
    }
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static Registration register(
      DynamoStore store,
      String app,
      @Nullable ApnsEnvironment environment,
      Platform platform,
      String token) {
    return store
        .registrations()
        .register(
            new NewRegistration(
                OwnerHash.of(HexFormat.of().formatHex(random(32))),
                AppId.of(app),
                environment,
                DeviceToken.of(platform, token),
                Region.EU_WEST_1,
                null,
                Duration.ofDays(30)))
        .block(TIMEOUT)
        .registration();
  }

  /** A .p8 signing key of the mock's team that the mock was never told about. */
  private static MockApns.SigningKey unknownSigningKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    return new MockApns.SigningKey(
        TestPki.writeTemp(TestPki.pkcs8Pem(pair.getPrivate()), ".p8"),
        "KEY0000009",
        MockApns.TEAM_ID,
        (ECPublicKey) pair.getPublic());
  }

  /**
   * A TCP server on 127.0.0.1 that accepts connections and never says a word: a TLS handshake to it
   * never ends. Its accepting thread is a plain daemon thread; {@link #close()} ends it.
   */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    held.add(socket.accept());
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "silent-apns");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int accepted() {
      return held.size();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket connection : held) {
        connection.close();
      }
    }
  }
}
