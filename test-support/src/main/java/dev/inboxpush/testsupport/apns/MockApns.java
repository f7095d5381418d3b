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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;
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
 * <p>A local run builds one with {@link #builder()}: a given server certificate (kept on disk), a
 * bind address and port, {@linkplain Builder#anyWellFormedToken any well-formed device token} for
 * its topics instead of registered ones, and a {@linkplain Builder#onReceived listener} instead of
 * the unbounded record. Provider tokens are still verified for every push, whatever the mode.
 *
 * <p>Thread-safe: the maps are read by the server's event loop per request; a listener given to the
 * builder is called on that event loop and must not block. {@link #close()} stops the server.
 * Private keys are generated per instance and written only to temporary files, unless the builder
 * is given kept material.
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

  /**
   * A fault for fault runs, applied to a share of every push whatever its token: first a delay (the
   * server's event loop sleeps, as a slow APNs answers every connection late), then the script
   * instead of validation, when there is one. A token's own script still applies to the pushes the
   * fault leaves alone.
   *
   * @param share the fraction of pushes hit, 0 to 1
   * @param script the answer for a hit push, or null for the usual one (after the delay)
   * @param delay how long a hit push is held first (zero for none)
   */
  public record Fault(double share, @Nullable Script script, Duration delay) {
    public Fault {
      if (share < 0 || share > 1 || delay.isNegative()) {
        throw new IllegalArgumentException("a fault's share is 0 to 1 and its delay not negative");
      }
    }
  }

  /** What pushy's validating handler accepts as a device token (and so does Apple today). */
  private static final Pattern WELL_FORMED_TOKEN = Pattern.compile("[0-9a-fA-F]{64}");

  private final TestPki pki;
  private final X509Bundle serverCertificate;
  private final Map<String, Set<String>> tokensByTopic = new ConcurrentHashMap<>();
  private final Map<String, Instant> unregistered = new ConcurrentHashMap<>();
  private final Map<String, ApnsVerificationKey> keysById = new ConcurrentHashMap<>();
  private final Map<ApnsVerificationKey, Set<String>> topicsByKey = new ConcurrentHashMap<>();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private volatile @Nullable Fault fault;
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final boolean keepReceived;
  private final @Nullable Consumer<Received> onReceived;
  private final LongAdder accepted = new LongAdder();
  private volatile CountDownLatch gate = new CountDownLatch(1);
  private final EventLoopGroup eventLoop = eventLoop();
  private final MockApnsServer server;
  private final int port;

  private MockApns(Builder builder) {
    this.pki = builder.pki != null ? builder.pki : TestPki.create();
    this.serverCertificate =
        builder.serverCertificate != null ? builder.serverCertificate : pki.server();
    this.keepReceived = builder.onReceived == null;
    this.onReceived = builder.onReceived;
    for (String topic : builder.anyTokenTopics) {
      tokensByTopic.put(topic, AnyWellFormedToken.INSTANCE);
    }
    boolean acceptAll = builder.acceptAll;
    // pushy looks a token up as it came in the path; APNs tokens are case-insensitive hex, and
    // unregister() keeps them in lower case.
    Map<String, Instant> unregisteredView = new LowerCaseKeys(unregistered);
    ValidatingPushNotificationHandlerFactory validating =
        new ValidatingPushNotificationHandlerFactory(
            tokensByTopic, unregisteredView, keysById, topicsByKey);
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
              .setMaxConcurrentStreams(builder.maxConcurrentStreams)
              .setEventLoopGroup(eventLoop)
              .setHandlerFactory(
                  acceptAll
                      ? new AcceptAllPushNotificationHandlerFactory()
                      : session -> scripted(validating.buildHandler(session)))
              .setListener(acceptAll ? new Counter() : new Recorder())
              .build();
      InetAddress address = builder.address;
      this.port =
          address == null
              ? server.start(builder.port).get(10, TimeUnit.SECONDS)
              : bind(server, new InetSocketAddress(address, builder.port));
    } catch (Exception e) {
      eventLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot start MockApnsServer: " + e.getMessage(), e);
    }
  }

  /**
   * The server's own event loop, one thread as pushy makes it, but shut down without pushy's 2 s
   * quiet period: a stopped server is gone at once (tests, Ctrl-C of a local run). Pushy picks the
   * server channel class by the group's class name, so it must be the {@code NioEventLoopGroup}
   * that Netty 4.2 deprecates.
   */
  @SuppressWarnings("deprecation")
  private static EventLoopGroup eventLoop() {
    return new io.netty.channel.nio.NioEventLoopGroup(1);
  }

  /** A builder for a server on a free port of every interface, validating registered tokens. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a server on a free port, with APNs' usual 1,500 streams per connection. */
  public static MockApns start() {
    return builder().start();
  }

  /** Starts a server allowing {@code maxConcurrentStreams} streams per connection. */
  public static MockApns start(int maxConcurrentStreams) {
    return builder().maxConcurrentStreams(maxConcurrentStreams).start();
  }

  /**
   * For benchmarks: accepts every push without validating it (pushy's accept-all handler) and only
   * counts ({@link #acceptedCount()}); nothing is recorded.
   */
  public static MockApns startAcceptingAll() {
    Builder builder = builder();
    builder.acceptAll = true;
    return builder.start();
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

  /**
   * Lets {@code token} receive pushes of {@code topic}; nothing to do for a topic of {@link
   * Builder#anyWellFormedToken}.
   */
  public void allow(String topic, String token) {
    Set<String> tokens = tokensByTopic.computeIfAbsent(topic, key -> ConcurrentHashMap.newKeySet());
    if (tokens != AnyWellFormedToken.INSTANCE) {
      tokens.add(token);
    }
  }

  /**
   * From now on, {@code token} (any case) is answered 410 Unregistered with {@code since} as
   * timestamp, once its push passed the checks before it (path, headers, the token's form).
   */
  public void unregister(String token, Instant since) {
    unregistered.put(token.toLowerCase(Locale.ROOT), since);
  }

  /** The tokens {@link #unregister}ed, in lower case, with their timestamps. */
  public Map<String, Instant> unregistered() {
    return Map.copyOf(unregistered);
  }

  /** Answers pushes to {@code token} as scripted, instead of validating them. */
  public void script(String token, Script script) {
    scripts.put(token, script);
  }

  /** Applies {@code fault} to every later push (null: none), replacing an earlier one. */
  public void fault(@Nullable Fault fault) {
    this.fault = fault;
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
    fault = null;
    release();
  }

  @Override
  public void close() {
    release();
    try {
      server.shutdown().get(10, TimeUnit.SECONDS);
      eventLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("MockApnsServer did not stop", e);
    }
  }

  private PushNotificationHandler scripted(PushNotificationHandler validating) {
    return (headers, payload) -> {
      Script script = scripts.get(token(headers));
      Fault current = fault;
      if (current != null
          && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < current.share()) {
        if (!current.delay().isZero()) {
          sleep(current.delay());
        }
        if (current.script() != null) {
          script = current.script();
        }
      }
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
      record(of(push, null));
    }

    @Override
    public void handlePushNotificationRejected(
        ApnsPushNotification push, RejectionReason reason, @Nullable Instant expiration) {
      record(of(push, reason));
    }

    private void record(Received push) {
      Consumer<Received> listener = onReceived;
      if (listener != null) {
        listener.accept(push);
      }
      if (keepReceived) {
        received.add(push);
      }
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
   * Binds pushy's server to one address only. {@link MockApnsServer#start(int)} binds every
   * interface ({@code ServerBootstrap.bind(port)}), and pushy offers no way to name an address;
   * this does what {@code start} does, with an address: it binds the server's own {@code bootstrap}
   * (its TLS and HTTP/2 pipeline, its event loop) to {@code address} and adds the bound channel to
   * the server's {@code allChannels}, the group {@link MockApnsServer#shutdown()} closes, so that
   * shutdown releases the port exactly as after {@code start}. Both fields are private to pushy's
   * {@code BaseHttp2Server} (checked against pushy 0.15.4, the version the parent POM pins): when
   * an upgrade renames them this fails at start-up with a message naming them, never by binding
   * wider than asked.
   */
  private static int bind(MockApnsServer server, InetSocketAddress address) throws Exception {
    ServerBootstrap bootstrap = field(server, "bootstrap", ServerBootstrap.class);
    ChannelGroup allChannels = field(server, "allChannels", ChannelGroup.class);
    ChannelFuture bound = bootstrap.bind(address);
    allChannels.add(bound.channel());
    if (!bound.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("binding " + address + " took longer than 10 s");
    }
    if (!bound.isSuccess()) {
      throw new IllegalStateException(
          "cannot bind " + address + ": " + bound.cause().getMessage(), bound.cause());
    }
    return ((InetSocketAddress) bound.channel().localAddress()).getPort();
  }

  private static <T> T field(Object target, String name, Class<T> type) throws Exception {
    Class<?> base = Class.forName("com.eatthepath.pushy.apns.server.BaseHttp2Server");
    Field field;
    try {
      field = base.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(
          "pushy's BaseHttp2Server has no field "
              + name
              + " (another pushy version?): cannot bind one address only",
          e);
    }
    field.setAccessible(true);
    return type.cast(field.get(target));
  }

  /**
   * Every well-formed device token, for pushy's {@code tokensByTopic} map: pushy asks only {@code
   * contains}. It has no members to list ({@code size} 0), which is why nothing but that map may
   * hold it.
   */
  private static final class AnyWellFormedToken extends AbstractSet<String> {

    static final AnyWellFormedToken INSTANCE = new AnyWellFormedToken();

    @Override
    public boolean contains(@Nullable Object token) {
      return token instanceof String text && WELL_FORMED_TOKEN.matcher(text).matches();
    }

    @Override
    public Iterator<String> iterator() {
      return Collections.emptyIterator();
    }

    @Override
    public int size() {
      return 0;
    }
  }

  /** A read-only view of a map whose keys are lower case, looked up in any case. */
  private static final class LowerCaseKeys extends AbstractMap<String, Instant> {

    private final Map<String, Instant> map;

    LowerCaseKeys(Map<String, Instant> map) {
      this.map = map;
    }

    @Override
    public @Nullable Instant get(@Nullable Object key) {
      return key instanceof String text ? map.get(text.toLowerCase(Locale.ROOT)) : null;
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return get(key) != null;
    }

    @Override
    public Set<Map.Entry<String, Instant>> entrySet() {
      return Collections.unmodifiableMap(map).entrySet();
    }
  }

  /**
   * How to start a server. Defaults: a fresh {@link TestPki} and server certificate, every
   * interface, a free port, 1,500 streams per connection, registered tokens only ({@link #allow}),
   * every arrival kept for {@link #received()}.
   */
  public static final class Builder {

    private @Nullable TestPki pki;
    private @Nullable X509Bundle serverCertificate;
    private @Nullable InetAddress address;
    private int port;
    private int maxConcurrentStreams = 1500;
    private final Set<String> anyTokenTopics = new java.util.LinkedHashSet<>();
    private @Nullable Consumer<Received> onReceived;
    private boolean acceptAll;

    private Builder() {}

    /**
     * The authority whose root clients trust ({@link #rootPem()}) and which issues client
     * certificates; also the issuer of the server certificate unless {@link #serverCertificate}
     * names one.
     */
    public Builder pki(TestPki pki) {
      this.pki = pki;
      return this;
    }

    /** The server's certificate (issued by {@link #pki}'s root) and its key. */
    public Builder serverCertificate(X509Bundle serverCertificate) {
      this.serverCertificate = serverCertificate;
      return this;
    }

    /**
     * Binds this address only (see {@code bind} in the source for how), instead of every interface.
     */
    public Builder address(InetAddress address) {
      this.address = address;
      return this;
    }

    /** The port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** {@code SETTINGS_MAX_CONCURRENT_STREAMS} per connection. */
    public Builder maxConcurrentStreams(int streams) {
      if (streams < 1) {
        throw new IllegalArgumentException("max concurrent streams must be positive: " + streams);
      }
      this.maxConcurrentStreams = streams;
      return this;
    }

    /**
     * Accepts any well-formed device token (64 hex digits, any case) for {@code topics}, as if
     * every device had registered: a local APNs does not know the devices beforehand. Everything
     * else is still validated as Apple does: a malformed token is {@code BadDeviceToken}, another
     * topic {@code DeviceTokenNotForTopic}, an {@link #unregister}ed token {@code Unregistered},
     * and the provider token's signature, key id, team and topic are verified.
     */
    public Builder anyWellFormedToken(Collection<String> topics) {
      anyTokenTopics.addAll(topics);
      return this;
    }

    /**
     * Calls {@code listener} with each push on arrival (on the server's event loop: it must not
     * block) instead of keeping it: {@link #received()} then stays empty, so that a long-running
     * server keeps what it needs only.
     */
    public Builder onReceived(Consumer<Received> listener) {
      this.onReceived = listener;
      return this;
    }

    /**
     * Starts the server; returns once it listens.
     *
     * @throws IllegalStateException if it cannot bind or start
     */
    public MockApns start() {
      return new MockApns(this);
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
  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void holdUntilReleased(CountDownLatch gate) {
    try {
      gate.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
