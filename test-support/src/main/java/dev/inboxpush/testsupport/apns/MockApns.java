package dev.inboxpush.testsupport.apns;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.AcceptAllPushNotificationHandlerFactory;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.ParsingMockApnsServerListenerAdapter;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import dev.inboxpush.testsupport.tls.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A local APNs for tests, benchmarks and the local run: pushy's {@link MockApnsServer} over TLS on
 * 127.0.0.1 (a generated certificate; trust {@link #trustedCertificates()}), answering with pushy's
 * validating handler, which checks what Apple checks: the provider token's signature, team and key,
 * the topic, the device token (64 hex digits here), header values and payload size.
 *
 * <p>Tests register what APNs would know ({@link #allow}, {@link #unregister}), create credentials
 * ({@link #newSigningKey}, {@link #newClientCertificate}), script answers per device token ({@link
 * #script}) and read what arrived ({@link #received()}), accepted or rejected, with its headers and
 * payload.
 *
 * <p>Thread-safe: the maps are read by the server's event loop per request. {@link #close()} stops
 * the server. Private keys are generated per instance and written only to temporary files.
 */
public final class MockApns implements AutoCloseable {

  /** The team every generated signing key belongs to. */
  public static final String TEAM_ID = "TEAM000001";

  /** What arrived, as the server parsed it. */
  public record Received(
      String token,
      String topic,
      String payload,
      @Nullable DeliveryPriority priority,
      @Nullable PushType pushType,
      @Nullable String collapseId,
      @Nullable Instant expiration,
      @Nullable RejectionReason rejection) {

    public boolean accepted() {
      return rejection == null;
    }
  }

  /** A generated provider-token signing key, as Apple hands them out. */
  public record SigningKey(Path p8File, String keyId, String teamId, ECPublicKey publicKey) {}

  /** A generated client certificate for one topic, in a password-protected .p12 file. */
  public record ClientCertificate(Path p12File, String password, X509Bundle bundle) {}

  /** A scripted answer for one device token, replacing the validating handler's. */
  public sealed interface Script {}

  /** Reject with this reason (its documented status). */
  public record Reject(RejectionReason reason) implements Script {}

  /** Answer 500 InternalServerError, as an exception in the handler does. */
  public record Fail() implements Script {}

  /**
   * Hold the server's event loop (every connection of the server) until {@link #release()} or 30 s,
   * then answer as the validating handler would.
   */
  public record Hold() implements Script {}

  /**
   * Run {@code action} when the push arrives (on the server's event loop), then answer {@code
   * then}.
   */
  public record Hook(Runnable action, @Nullable Script then) implements Script {}

  private final TestPki pki;
  private final X509Bundle serverCertificate;
  private final Map<String, Set<String>> tokensByTopic = new ConcurrentHashMap<>();
  private final Map<String, Instant> unregistered = new ConcurrentHashMap<>();
  private final Map<String, ApnsVerificationKey> keysById = new ConcurrentHashMap<>();
  private final Map<ApnsVerificationKey, Set<String>> topicsByKey = new ConcurrentHashMap<>();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final LongAdder accepted = new LongAdder();
  private volatile CountDownLatch gate = new CountDownLatch(1);
  private final MockApnsServer server;
  private final int port;

  private MockApns(int maxConcurrentStreams, boolean acceptAll) {
    this.pki = TestPki.create();
    this.serverCertificate = pki.server();
    ValidatingPushNotificationHandlerFactory validating =
        new ValidatingPushNotificationHandlerFactory(
            tokensByTopic, unregistered, keysById, topicsByKey);
    try {
      this.server =
          new MockApnsServerBuilder()
              .setServerCredentials(
                  serverCertificate.getCertificatePath(),
                  serverCertificate.getKeyPair().getPrivate(),
                  null)
              .setTrustedClientCertificateChain(
                  new ByteArrayInputStream(
                      pki.root().getCertificatePEM().getBytes(StandardCharsets.US_ASCII)))
              .setMaxConcurrentStreams(maxConcurrentStreams)
              .setHandlerFactory(
                  acceptAll
                      ? new AcceptAllPushNotificationHandlerFactory()
                      : session -> scripted(validating.buildHandler(session)))
              .setListener(acceptAll ? new Counter() : new Recorder())
              .build();
      this.port = server.start(0).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start MockApnsServer", e);
    }
  }

  /** Starts a server on a free port, with APNs' usual 1,500 streams per connection. */
  public static MockApns start() {
    return new MockApns(1500, false);
  }

  /** Starts a server allowing {@code maxConcurrentStreams} streams per connection. */
  public static MockApns start(int maxConcurrentStreams) {
    return new MockApns(maxConcurrentStreams, false);
  }

  /**
   * For benchmarks: accepts every push without validating it (pushy's accept-all handler) and only
   * counts ({@link #acceptedCount()}); nothing is recorded.
   */
  public static MockApns startAcceptingAll() {
    return new MockApns(1500, true);
  }

  /** How many pushes the server accepted since it started. */
  public long acceptedCount() {
    return accepted.sum();
  }

  public int port() {
    return port;
  }

  /** A PEM file with the root that signed the server's certificate, for the client to trust. */
  public Path trustedCertificates() {
    return TestPki.writeTemp(rootPem(), ".pem");
  }

  /** The root that signed the server's certificate, as PEM text. */
  public String rootPem() {
    return pki.root().getCertificatePEM();
  }

  /** Generates a signing key of {@link #TEAM_ID} valid for {@code topics}; writes its .p8 file. */
  public SigningKey newSigningKey(String keyId, String... topics) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      String pem = TestPki.pkcs8Pem(pair.getPrivate());
      SigningKey key =
          new SigningKey(
              TestPki.writeTemp(pem, ".p8"), keyId, TEAM_ID, (ECPublicKey) pair.getPublic());
      trust(key, topics);
      return key;
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate a signing key", e);
    }
  }

  /** Accepts provider tokens signed with {@code key} for {@code topics} (another server's key). */
  public void trust(SigningKey key, String... topics) {
    try {
      ApnsVerificationKey verification =
          new ApnsVerificationKey(key.keyId(), key.teamId(), key.publicKey());
      keysById.put(key.keyId(), verification);
      topicsByKey
          .computeIfAbsent(verification, k -> ConcurrentHashMap.newKeySet())
          .addAll(List.of(topics));
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust the signing key", e);
    }
  }

  /** Issues a client certificate for {@code topic}, valid for {@code validFor}; writes a .p12. */
  public ClientCertificate newClientCertificate(String topic, Duration validFor) {
    X509Bundle bundle = pki.client(topic, validFor);
    String password = "p12-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    try {
      Path file = bundle.toTempKeyStoreFile(password.toCharArray()).toPath();
      file.toFile().deleteOnExit();
      return new ClientCertificate(file, password, bundle);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the client certificate", e);
    }
  }

  /**
   * The listener's {@code inboxpush.apns.*} settings for pushing to this server with {@code key}:
   * one app per topic, both environments here, this server's root trusted.
   */
  public Map<String, String> listenerProperties(SigningKey key, String... topics) {
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    for (int i = 0; i < topics.length; i++) {
      String app = "inboxpush.apns.apps[" + i + "].";
      properties.put(app + "topic", topics[i]);
      properties.put(app + "token.key-file", key.p8File().toString());
      properties.put(app + "token.key-id", key.keyId());
      properties.put(app + "token.team-id", key.teamId());
    }
    for (String environment : List.of("production", "sandbox")) {
      properties.put("inboxpush.apns." + environment + ".host", "localhost");
      properties.put("inboxpush.apns." + environment + ".port", Integer.toString(port));
    }
    properties.put("inboxpush.apns.trusted-server-certificates", trustedCertificates().toString());
    return properties;
  }

  /** Lets {@code token} receive pushes of {@code topic}. */
  public void allow(String topic, String token) {
    tokensByTopic.computeIfAbsent(topic, key -> ConcurrentHashMap.newKeySet()).add(token);
  }

  /** From now on, {@code token} is answered 410 Unregistered with {@code since} as timestamp. */
  public void unregister(String token, Instant since) {
    unregistered.put(token, since);
  }

  /** Answers pushes to {@code token} as scripted, instead of validating them. */
  public void script(String token, Script script) {
    scripts.put(token, script);
  }

  /** Answers pushes to {@code token} by validating them again. */
  public void unscript(String token) {
    scripts.remove(token);
  }

  /**
   * Releases every held push. Pushes to a token still scripted {@link Hold} are held again: call
   * {@link #unscript} first.
   */
  public void release() {
    CountDownLatch held = gate;
    gate = new CountDownLatch(1);
    held.countDown();
  }

  /** Everything that arrived, in order of arrival. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** What arrived for {@code token}. */
  public List<Received> receivedFor(String token) {
    List<Received> matching = new ArrayList<>();
    for (Received push : received) {
      if (push.token().equals(token)) {
        matching.add(push);
      }
    }
    return matching;
  }

  /** Forgets what arrived and every script (registered tokens and keys stay). */
  public void reset() {
    received.clear();
    scripts.clear();
    release();
  }

  @Override
  public void close() {
    release();
    try {
      server.shutdown().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("MockApnsServer did not stop", e);
    }
  }

  private PushNotificationHandler scripted(PushNotificationHandler validating) {
    return (headers, payload) -> {
      Script script = scripts.get(token(headers));
      if (script instanceof Hook hook) {
        runHook(hook.action());
        script = hook.then();
      }
      if (script instanceof Reject reject) {
        if (reject.reason() == RejectionReason.UNREGISTERED) {
          throw new UnregisteredDeviceTokenException(Instant.now());
        }
        throw new RejectedNotificationException(reject.reason());
      }
      if (script instanceof Fail) {
        throw new IllegalStateException("scripted internal server error");
      }
      if (script instanceof Hold) {
        holdUntilReleased(gate);
      }
      validating.handlePushNotification(headers, payload);
    };
  }

  private static String token(Http2Headers headers) {
    CharSequence path = headers.path();
    String text = path == null ? "" : path.toString();
    return text.startsWith("/3/device/") ? text.substring("/3/device/".length()) : text;
  }

  private final class Counter implements MockApnsServerListener {
    @Override
    public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
      accepted.increment();
    }

    @Override
    public void handlePushNotificationRejected(
        Http2Headers headers,
        ByteBuf payload,
        RejectionReason reason,
        @Nullable Instant expiration) {}
  }

  private final class Recorder extends ParsingMockApnsServerListenerAdapter {
    @Override
    public void handlePushNotificationAccepted(ApnsPushNotification push) {
      accepted.increment();
      received.add(of(push, null));
    }

    @Override
    public void handlePushNotificationRejected(
        ApnsPushNotification push, RejectionReason reason, @Nullable Instant expiration) {
      received.add(of(push, reason));
    }

    private Received of(ApnsPushNotification push, @Nullable RejectionReason rejection) {
      return new Received(
          push.getToken(),
          push.getTopic(),
          push.getPayload(),
          push.getPriority(),
          push.getPushType(),
          push.getCollapseId(),
          push.getExpiration(),
          rejection);
    }
  }

  /**
   * Runs a test's hook on the mock server's event loop, at the moment the push arrives; a hook may
   * block (stopping the local DynamoDB engine waits for its process), which BlockHound allows here
   * only (see {@code BlockingAllowances}): that thread serves nothing but the mock.
   */
  private static void runHook(Runnable action) {
    action.run();
  }

  /**
   * Blocks the mock server's event loop until {@link #release()}: pushy's handler API answers
   * synchronously, so a held answer can only be held on that thread, which serves only this mock.
   * The one blocking call BlockHound allows in a fixture (see {@code BlockingAllowances}).
   */
  private static void holdUntilReleased(CountDownLatch gate) {
    try {
      gate.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
