package dev.inboxpush.testsupport.fcm;

import dev.inboxpush.testsupport.tls.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.SslProvider;

/**
 * A fake FCM HTTP v1 endpoint: {@code POST /v1/projects/{project}/messages:send} over HTTP/2 (or
 * HTTP/1.1) with TLS on a free loopback port, answering like fcm.googleapis.com, including Google's
 * error body shape ({@code {"error":{"code":..,"status":..,"details":[{"@type":
 * "type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":..}]}}}) that firebase-admin
 * parses into {@code MessagingErrorCode}.
 *
 * <p>Each request is judged in this order: the path ({@code 404 NOT_FOUND} otherwise); the bearer
 * token against {@link Builder#acceptedAccessToken} ({@code 401 UNAUTHENTICATED}, no FCM detail, as
 * Google answers a bad OAuth2 token); the message shape ({@code 400 INVALID_ARGUMENT}: a JSON
 * object with a {@code message} object holding a string {@code token}; {@code data} values all
 * strings; {@code android.priority} {@code normal} or {@code high}; {@code android.ttl} such as
 * {@code 3600s} or {@code 0.5s}; {@code android.collapse_key} a string); a failure scripted for the
 * token ({@link #failToken}); a random failure ({@link #failRandomly}); otherwise {@code 200
 * {"name":"projects/{project}/messages/{id}"}}. A {@code notification} block is accepted and
 * recorded, not judged. Every request, answered however, is recorded ({@link #requests()}).
 *
 * <p>OAuth2: {@code POST} {@value #TOKEN_PATH} is Google's token endpoint for service accounts (the
 * JWT bearer grant of RFC 7523, what {@code ServiceAccountCredentials} asks with the {@code
 * token_uri} of its JSON file, here {@link #tokenUri()}). The assertion must be an RS256 JWT signed
 * by a registered account ({@link #newServiceAccount}, {@link #registerServiceAccount}), found by
 * its {@code kid} ({@code private_key_id}) or else its {@code iss} ({@code client_email}), with
 * {@code iss} that account's email, {@code aud} {@value #GOOGLE_TOKEN_AUDIENCE} (what google-auth
 * sends, whatever the {@code token_uri}) or {@link #tokenUri()}, {@code exp} in the future and at
 * most an hour after {@code iat}. Then the server answers {@code {"access_token":..,
 * "expires_in":..,"token_type":"Bearer"}} with a random token that FCM sends are accepted with
 * until it expires (besides {@link Builder#acceptedAccessToken}); otherwise {@code 400
 * {"error":"invalid_grant","error_description":..}} as Google does ({@code unsupported_grant_type}
 * for another grant, {@code invalid_request} without an assertion). Token requests are counted
 * apart ({@link #tokensIssued()}, {@link #tokenRefusals()}), not recorded as FCM requests.
 *
 * <p>Lifecycle: {@link #builder()}, then {@link #start()} binds {@code 127.0.0.1:0} (or the
 * builder's address and port) on its own single event-loop thread; {@link #close()} stops it. A
 * long-running local peer bounds the record ({@link Builder#requestLogCapacity}) and may watch
 * every request as it is answered ({@link Builder#onRequest}). TLS uses a {@link TestPki} server
 * certificate for {@code localhost}, {@code 127.0.0.1} and {@value #FCM_HOST}; clients trust {@link
 * #trustRoot()} (or use {@link #clientSslContext()}). {@link FakeFcmTransport} points
 * firebase-admin at this server.
 *
 * <p>Threading: every method is thread-safe and may be called while requests are in flight;
 * scripts, rates and latency apply to requests that arrive afterwards. The request handler never
 * blocks: latency is a timer ({@code Mono.delay}), not a sleep.
 *
 * <p>Failure: a request the fake cannot handle (a bug in the fake) is answered {@code 500} with a
 * plain-text body and logged at ERROR, so that it cannot pass for a scripted {@code INTERNAL}.
 *
 * <p>This class is the facade: it owns the HTTP server and routes {@value #TOKEN_PATH} to the token
 * endpoint and everything else to the send endpoint; the parts behind it are package-private (the
 * send endpoint, the token endpoint, message validation, the script of failures and latency, and
 * the record of what arrived).
 */
public final class FakeFcmServer implements AutoCloseable {

  /** The host name the server certificate is also valid for. */
  public static final String FCM_HOST = "fcm.googleapis.com";

  /** The access token accepted unless the builder names another. */
  public static final String DEFAULT_ACCESS_TOKEN = "fake-access-token";

  /** The path of the OAuth2 token endpoint. */
  public static final String TOKEN_PATH = "/token";

  /** The grant type of a service account's token request (RFC 7523). */
  public static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

  /**
   * The audience google-auth puts in every service-account assertion, whatever the {@code
   * token_uri}: Google's token endpoint. Accepted, as is {@link #tokenUri()}.
   */
  public static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

  /** The longest access-token lifetime the token endpoint grants, as Google's. */
  public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(1);

  /** FCM's stream limit per connection, which the fake advertises by default. */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;

  private static final Logger log = LoggerFactory.getLogger(FakeFcmServer.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String acceptedAccessToken;
  private final int maxConcurrentStreams;
  private final InetAddress address;
  private final int requestedPort;
  private final X509Bundle root;
  private final X509Bundle serverCertificate;

  private final SendScript script;
  private final RequestLog requestLog;
  private final OAuth2TokenEndpoint tokens = new OAuth2TokenEndpoint(tokenUri());
  private final FcmSendEndpoint send;

  private @Nullable LoopResources loops;
  private @Nullable DisposableServer server;

  private FakeFcmServer(Builder builder) {
    this.acceptedAccessToken = builder.acceptedAccessToken;
    this.maxConcurrentStreams = builder.maxConcurrentStreams;
    this.address = builder.address;
    this.requestedPort = builder.port;
    this.requestLog = new RequestLog(builder.requestLogCapacity, builder.onRequest);
    this.script = new SendScript(builder.randomSeed);
    this.send = new FcmSendEndpoint(acceptedAccessToken, tokens, script, requestLog);
    TestPki pki = builder.pki != null ? builder.pki : TestPki.create();
    this.root = pki.root();
    this.serverCertificate =
        builder.serverCertificate != null ? builder.serverCertificate : pki.server(FCM_HOST);
  }

  /**
   * A builder with the defaults: {@value #DEFAULT_ACCESS_TOKEN}, seed 0, a fresh {@link TestPki}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds {@code 127.0.0.1} on a free port (or the builder's address and port) and starts
   * answering; returns once bound.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized FakeFcmServer start() {
    if (loops != null) {
      throw new IllegalStateException("the fake FCM server was already started");
    }
    LoopResources ownLoops = LoopResources.create("fake-fcm", 1, true);
    loops = ownLoops;
    SslProvider.GenericSslContextSpec<?> tls =
        Http2SslContextSpec.forServer(
            serverCertificate.getKeyPair().getPrivate(), serverCertificate.getCertificatePath());
    server =
        HttpServer.create()
            .runOn(ownLoops)
            .host(address.getHostAddress())
            .port(requestedPort)
            .protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
            .secure(spec -> spec.sslContext(tls))
            .http2Settings(settings -> settings.maxConcurrentStreams(maxConcurrentStreams))
            .handle(this::route)
            .bindNow(STOP_TIMEOUT);
    log.debug("Fake FCM server listening on {}:{}", address.getHostAddress(), port());
    return this;
  }

  /** The bound port. */
  public synchronized int port() {
    DisposableServer current = server;
    if (current == null) {
      throw new IllegalStateException("the fake FCM server is not started");
    }
    return current.port();
  }

  /**
   * {@code https://127.0.0.1:<port>}: the base for raw HTTP clients trusting {@link #trustRoot()}.
   */
  public String baseUrl() {
    return "https://127.0.0.1:" + port();
  }

  /** The root certificate authority (certificate and key) to trust. */
  public X509Bundle trustRoot() {
    return root;
  }

  /** The root certificate to trust. */
  public X509Certificate rootCertificate() {
    return root.getCertificate();
  }

  /** A new client-side TLS context that trusts {@link #trustRoot()} and nothing else. */
  public SSLContext clientSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, root.toTrustManagerFactory().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context trusting the test root", e);
    }
  }

  /** The bearer token the server accepts. */
  public String acceptedAccessToken() {
    return acceptedAccessToken;
  }

  // ------------------------------------------------------------------------- OAuth2 token endpoint

  /**
   * {@code https://fcm.googleapis.com/token}: the {@code token_uri} of this server's service
   * accounts, which {@link FakeFcmTransport} routes here. An assertion's {@code aud} may be this or
   * {@value #GOOGLE_TOKEN_AUDIENCE}.
   */
  public String tokenUri() {
    return "https://" + FCM_HOST + TOKEN_PATH;
  }

  /**
   * A new service account of {@code projectId} (an RSA 2048 key pair made now, and its JSON file in
   * a temporary file naming {@link #tokenUri()}), registered with this server.
   */
  public FakeServiceAccount newServiceAccount(String projectId) {
    FakeServiceAccount account = FakeServiceAccount.generate(projectId, tokenUri());
    registerServiceAccount(account);
    return account;
  }

  /**
   * Lets {@code account} obtain access tokens: its public key verifies the assertions whose {@code
   * kid} is its {@code private_key_id} or whose {@code iss} is its {@code client_email}. Replaces
   * an account with the same email or key id. Registrations survive {@link #reset()}.
   */
  public FakeFcmServer registerServiceAccount(FakeServiceAccount account) {
    tokens.register(account);
    return this;
  }

  /** Access tokens issued since start or {@link #reset()}. */
  public int tokensIssued() {
    return tokens.tokensIssued();
  }

  /** The access tokens issued since start or {@link #reset()}, in order. */
  public List<String> issuedAccessTokens() {
    return tokens.issuedAccessTokens();
  }

  /**
   * The token requests refused since start or {@link #reset()}, in order, each as {@code "<error>:
   * <error_description>"}.
   */
  public List<String> tokenRefusals() {
    return tokens.refusals();
  }

  /**
   * Makes every access token issued so far unacceptable to FCM sends ({@code 401}), as if they had
   * expired; the token endpoint keeps issuing new ones. {@link Builder#acceptedAccessToken} stays
   * accepted.
   */
  public FakeFcmServer revokeIssuedTokens() {
    tokens.revokeIssuedTokens();
    return this;
  }

  // ---------------------------------------------------------------------------------- scripting

  /** Answers every later request for {@code token} with {@code failure}, until {@link #reset()}. */
  public FakeFcmServer failToken(String token, FcmFailure failure) {
    script.failToken(token, failure);
    return this;
  }

  /**
   * Answers the next {@code times} requests for {@code token} with {@code failure}, then normally:
   * how a test makes a retry succeed.
   */
  public FakeFcmServer failToken(String token, FcmFailure failure, int times) {
    script.failToken(token, failure, times);
    return this;
  }

  /** Removes the script for {@code token}. */
  public FakeFcmServer clearToken(String token) {
    script.clearToken(token);
    return this;
  }

  /**
   * Answers a well-formed request not scripted by token with {@code failure} at {@code rate} (0 to
   * 1), drawn from the builder's seeded {@link Random}: one draw per such request, shared by all
   * kinds, so with sequential requests the same seed gives the same answers. Replaces an earlier
   * rate for the same code.
   *
   * @throws IllegalArgumentException if the rates of all kinds would add up to more than 1
   */
  public FakeFcmServer failRandomly(FcmFailure failure, double rate) {
    script.failRandomly(failure, rate);
    return this;
  }

  /** Delays every later answer by {@code latency} (a timer on the event loop, not a sleep). */
  public FakeFcmServer setLatency(Duration latency) {
    script.setLatency(latency);
    return this;
  }

  /**
   * Clears scripts, random rates, latency, recorded requests and counters, and the record of issued
   * and refused access tokens; issued tokens stay valid and accounts stay registered.
   */
  public void reset() {
    tokens.forgetRecord();
    script.reset();
    requestLog.clear();
  }

  // ----------------------------------------------------------------------- records and counters

  /** The requests recorded so far, in the order they were answered. */
  public List<FcmRequest> requests() {
    return requestLog.requests();
  }

  /** The recorded requests whose message targets {@code token}. */
  public List<FcmRequest> requestsFor(String token) {
    return requestLog.requestsFor(token);
  }

  /**
   * Waits until at least {@code count} requests are recorded, and returns them.
   *
   * @throws AssertionError after {@code timeout}, naming what did arrive
   */
  public List<FcmRequest> awaitRequests(int count, Duration timeout) {
    return requestLog.awaitRequests(count, timeout);
  }

  /** Requests received (counted on arrival, before they are judged). */
  public int received() {
    return requestLog.received();
  }

  /** Requests answered 200. */
  public int accepted() {
    return requestLog.accepted();
  }

  /**
   * Requests answered with an error, by FCM error code or, for answers without an FCM detail, by
   * Google status ({@code UNAUTHENTICATED}, {@code NOT_FOUND}).
   */
  public Map<String, Integer> rejections() {
    return requestLog.rejections();
  }

  /** Requests answered with {@code code}. */
  public int rejected(FcmErrorCode code) {
    return rejected(code.name());
  }

  /** Requests answered with this FCM error code or Google status. */
  public int rejected(String codeOrStatus) {
    return requestLog.rejected(codeOrStatus);
  }

  /** Requests arrived and not yet fully answered. */
  public int inFlight() {
    return requestLog.inFlight();
  }

  /**
   * The most requests in flight at once since start or {@link #resetCounters()}: from arrival until
   * the answer was written, latency included.
   */
  public int maxInFlight() {
    return requestLog.maxInFlight();
  }

  /** Zeroes the counters (requests now in flight still count towards the new maximum). */
  public void resetCounters() {
    requestLog.resetCounters();
  }

  /** Stops listening and releases the event loop; safe to call twice. */
  @Override
  public synchronized void close() {
    DisposableServer current = server;
    server = null;
    if (current != null) {
      current.disposeNow(STOP_TIMEOUT);
    }
    LoopResources currentLoops = loops;
    if (currentLoops != null) {
      currentLoops.disposeLater(Duration.ZERO, STOP_TIMEOUT).block(STOP_TIMEOUT);
    }
  }

  private Publisher<Void> route(HttpServerRequest request, HttpServerResponse response) {
    if (TOKEN_PATH.equals(URI.create(request.uri()).getRawPath())) {
      return tokens.handle(request, response);
    }
    return send.handle(request, response);
  }

  /** Configuration fixed at construction. */
  public static final class Builder {

    private String acceptedAccessToken = DEFAULT_ACCESS_TOKEN;
    private long randomSeed;
    private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
    private @Nullable TestPki pki;
    private @Nullable X509Bundle serverCertificate;
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private int requestLogCapacity = Integer.MAX_VALUE;
    private @Nullable Consumer<FcmRequest> onRequest;

    private Builder() {}

    /** The address to bind; {@code 127.0.0.1} by default. */
    public Builder address(InetAddress address) {
      this.address = address;
      return this;
    }

    /** The port to bind; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The server certificate (and key) to serve, issued by {@link #pki}'s root, which must cover
     * {@value #FCM_HOST}; by default one is issued at construction.
     */
    public Builder serverCertificate(X509Bundle serverCertificate) {
      this.serverCertificate = serverCertificate;
      return this;
    }

    /**
     * Keeps only the last {@code capacity} requests for {@link FakeFcmServer#requests()} (the
     * counters count them all); unbounded by default.
     */
    public Builder requestLogCapacity(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("capacity must not be negative: " + capacity);
      }
      this.requestLogCapacity = capacity;
      return this;
    }

    /**
     * Calls {@code listener} with every judged request, as it is recorded (on the server's event
     * loop: it must not block; an exception it throws is logged and ignored).
     */
    public Builder onRequest(Consumer<FcmRequest> listener) {
      this.onRequest = listener;
      return this;
    }

    /** The only bearer token the server accepts. */
    public Builder acceptedAccessToken(String token) {
      if (token.isBlank()) {
        throw new IllegalArgumentException("the accepted access token must not be blank");
      }
      this.acceptedAccessToken = token;
      return this;
    }

    /** The seed of the random failures ({@link FakeFcmServer#failRandomly}). */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /** The HTTP/2 {@code SETTINGS_MAX_CONCURRENT_STREAMS} the server advertises. */
    public Builder maxConcurrentStreams(int streams) {
      if (streams < 1) {
        throw new IllegalArgumentException("max concurrent streams must be positive: " + streams);
      }
      this.maxConcurrentStreams = streams;
      return this;
    }

    /** The certificate authority that issues the server certificate; a fresh one by default. */
    public Builder pki(TestPki pki) {
      this.pki = pki;
      return this;
    }

    /** A server, not yet started. */
    public FakeFcmServer build() {
      return new FakeFcmServer(this);
    }
  }
}
