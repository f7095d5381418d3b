package dev.inboxpush.testsupport.fcm;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.inboxpush.testsupport.tls.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.SslProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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
 * <p>Lifecycle: {@link #builder()}, then {@link #start()} binds {@code 127.0.0.1:0} on its own
 * single event-loop thread; {@link #close()} stops it. TLS uses a {@link TestPki} server
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
  private static final Pattern SEND_PATH = Pattern.compile("^/v1/projects/([^/]+)/messages:send$");
  private static final Pattern TTL = Pattern.compile("^\\d+(\\.\\d{1,9})?s$");
  private static final Set<String> PRIORITIES = Set.of("normal", "high", "NORMAL", "HIGH");
  private static final TypeReference<Map<String, @Nullable Object>> OBJECT =
      new TypeReference<>() {};
  private static final String FCM_ERROR_TYPE =
      "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  // How far in the future an assertion's iat may be: clock skew.
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final JsonMapper json = JsonMapper.builder().build();
  private final String acceptedAccessToken;
  private final int maxConcurrentStreams;
  private final X509Bundle root;
  private final X509Bundle serverCertificate;

  private volatile Duration latency = Duration.ZERO;
  private final Map<String, TokenScript> tokenScripts = new ConcurrentHashMap<>();
  private final Random random;
  // Insertion order fixes the order in which one random draw is split among the error kinds.
  private final Map<FcmErrorCode, RandomFailure> randomFailures = new EnumMap<>(FcmErrorCode.class);

  private final ConcurrentLinkedQueue<FcmRequest> requests = new ConcurrentLinkedQueue<>();
  private final Object recorded = new Object();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong messageIds = new AtomicLong();

  private final Map<String, FakeServiceAccount> accountsByEmail = new ConcurrentHashMap<>();
  private final Map<String, FakeServiceAccount> accountsByKeyId = new ConcurrentHashMap<>();
  // Every access token issued and not revoked, with its expiry.
  private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();
  // The tokens issued since start or the last reset, in order.
  private final ConcurrentLinkedQueue<String> issuedSinceReset = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
  private final SecureRandom tokenRandom = new SecureRandom();

  private @Nullable LoopResources loops;
  private @Nullable DisposableServer server;

  private FakeFcmServer(Builder builder) {
    this.acceptedAccessToken = builder.acceptedAccessToken;
    this.maxConcurrentStreams = builder.maxConcurrentStreams;
    this.random = new Random(builder.randomSeed);
    TestPki pki = builder.pki != null ? builder.pki : TestPki.create();
    this.root = pki.root();
    this.serverCertificate = pki.server(FCM_HOST);
  }

  /**
   * A builder with the defaults: {@value #DEFAULT_ACCESS_TOKEN}, seed 0, a fresh {@link TestPki}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds {@code 127.0.0.1} on a free port and starts answering; returns once bound.
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
            .host("127.0.0.1")
            .port(0)
            .protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
            .secure(spec -> spec.sslContext(tls))
            .http2Settings(settings -> settings.maxConcurrentStreams(maxConcurrentStreams))
            .handle(this::handle)
            .bindNow(STOP_TIMEOUT);
    log.debug("Fake FCM server listening on {}", baseUrl());
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
    FakeServiceAccount previous = accountsByEmail.put(account.clientEmail(), account);
    if (previous != null) {
      accountsByKeyId.remove(previous.privateKeyId(), previous);
    }
    accountsByKeyId.put(account.privateKeyId(), account);
    return this;
  }

  /** Access tokens issued since start or {@link #reset()}. */
  public int tokensIssued() {
    return issuedSinceReset.size();
  }

  /** The access tokens issued since start or {@link #reset()}, in order. */
  public List<String> issuedAccessTokens() {
    return List.copyOf(issuedSinceReset);
  }

  /**
   * The token requests refused since start or {@link #reset()}, in order, each as {@code "<error>:
   * <error_description>"}.
   */
  public List<String> tokenRefusals() {
    return List.copyOf(refusals);
  }

  /**
   * Makes every access token issued so far unacceptable to FCM sends ({@code 401}), as if they had
   * expired; the token endpoint keeps issuing new ones. {@link Builder#acceptedAccessToken} stays
   * accepted.
   */
  public FakeFcmServer revokeIssuedTokens() {
    issuedTokens.clear();
    return this;
  }

  // ---------------------------------------------------------------------------------- scripting

  /** Answers every later request for {@code token} with {@code failure}, until {@link #reset()}. */
  public FakeFcmServer failToken(String token, FcmFailure failure) {
    tokenScripts.put(token, new TokenScript(failure, -1));
    return this;
  }

  /**
   * Answers the next {@code times} requests for {@code token} with {@code failure}, then normally:
   * how a test makes a retry succeed.
   */
  public FakeFcmServer failToken(String token, FcmFailure failure, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    tokenScripts.put(token, new TokenScript(failure, times));
    return this;
  }

  /** Removes the script for {@code token}. */
  public FakeFcmServer clearToken(String token) {
    tokenScripts.remove(token);
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
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("a rate is between 0 and 1: " + rate);
    }
    synchronized (randomFailures) {
      double others =
          randomFailures.values().stream()
              .filter(existing -> existing.failure().code() != failure.code())
              .mapToDouble(RandomFailure::rate)
              .sum();
      if (others + rate > 1.0 + 1e-9) {
        throw new IllegalArgumentException(
            "random failure rates add up to more than 1: " + (others + rate));
      }
      randomFailures.put(failure.code(), new RandomFailure(failure, rate));
    }
    return this;
  }

  /** Delays every later answer by {@code latency} (a timer on the event loop, not a sleep). */
  public FakeFcmServer setLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    this.latency = latency;
    return this;
  }

  /**
   * Clears scripts, random rates, latency, recorded requests and counters, and the record of issued
   * and refused access tokens; issued tokens stay valid and accounts stay registered.
   */
  public void reset() {
    issuedSinceReset.clear();
    refusals.clear();
    tokenScripts.clear();
    synchronized (randomFailures) {
      randomFailures.clear();
    }
    latency = Duration.ZERO;
    requests.clear();
    resetCounters();
  }

  // ----------------------------------------------------------------------- records and counters

  /** The requests recorded so far, in the order they were answered. */
  public List<FcmRequest> requests() {
    return List.copyOf(requests);
  }

  /** The recorded requests whose message targets {@code token}. */
  public List<FcmRequest> requestsFor(String token) {
    return requests.stream().filter(request -> token.equals(request.token())).toList();
  }

  /**
   * Waits until at least {@code count} requests are recorded, and returns them.
   *
   * @throws AssertionError after {@code timeout}, naming what did arrive
   */
  public List<FcmRequest> awaitRequests(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (requests.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected at least "
                  + count
                  + " FCM requests within "
                  + timeout
                  + ", got "
                  + requests.size()
                  + ": "
                  + requests);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(recorded, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for FCM requests", e);
        }
      }
      return requests();
    }
  }

  /** Requests received (counted on arrival, before they are judged). */
  public int received() {
    return received.get();
  }

  /** Requests answered 200. */
  public int accepted() {
    return accepted.get();
  }

  /**
   * Requests answered with an error, by FCM error code or, for answers without an FCM detail, by
   * Google status ({@code UNAUTHENTICATED}, {@code NOT_FOUND}).
   */
  public Map<String, Integer> rejections() {
    Map<String, Integer> snapshot = new TreeMap<>();
    rejected.forEach((code, count) -> snapshot.put(code, count.get()));
    return Collections.unmodifiableMap(snapshot);
  }

  /** Requests answered with {@code code}. */
  public int rejected(FcmErrorCode code) {
    return rejected(code.name());
  }

  /** Requests answered with this FCM error code or Google status. */
  public int rejected(String codeOrStatus) {
    AtomicInteger count = rejected.get(codeOrStatus);
    return count == null ? 0 : count.get();
  }

  /** Requests arrived and not yet fully answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * The most requests in flight at once since start or {@link #resetCounters()}: from arrival until
   * the answer was written, latency included.
   */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Zeroes the counters (requests now in flight still count towards the new maximum). */
  public void resetCounters() {
    received.set(0);
    accepted.set(0);
    rejected.clear();
    maxInFlight.set(inFlight.get());
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

  // -------------------------------------------------------------------------------- the handler

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    if (TOKEN_PATH.equals(URI.create(request.uri()).getRawPath())) {
      return handleToken(request, response);
    }
    received.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    Duration delay = latency;
    return request
        .receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .map(body -> judge(request, new String(body, StandardCharsets.UTF_8)))
        .onErrorResume(
            error -> {
              log.error("The fake FCM server failed on {}", request.uri(), error);
              return Mono.just(Answer.bug(error));
            })
        .delayUntil(answer -> delay.isZero() ? Mono.empty() : Mono.delay(delay))
        .flatMap(answer -> write(response, answer))
        .doFinally(signal -> inFlight.decrementAndGet());
  }

  private Mono<Void> write(HttpServerResponse response, Answer answer) {
    response.status(answer.status()).header("content-type", answer.contentType());
    if (answer.retryAfter() != null) {
      response.header("retry-after", answer.retryAfter());
    }
    if ("UNAUTHENTICATED".equals(answer.errorCode())) {
      // What Google sends with a bad OAuth2 token; google-auth reads it to decide whether to
      // refresh.
      response.header(
          "www-authenticate",
          "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }
    return response.sendString(Mono.just(answer.body())).then();
  }

  private Answer judge(HttpServerRequest request, String body) {
    String path = URI.create(request.uri()).getRawPath();
    Matcher send = SEND_PATH.matcher(path);
    String project = send.matches() ? send.group(1) : null;
    Map<String, @Nullable Object> message = Map.of();
    Answer answer;
    if (project == null || !"POST".equals(request.method().name())) {
      answer = googleError(404, "NOT_FOUND", "Not found: " + path, List.of(), null);
    } else if (!authorized(request.requestHeaders().get("authorization"))) {
      answer =
          googleError(
              401,
              "UNAUTHENTICATED",
              "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                  + " login cookie or other valid authentication credential.",
              List.of(),
              null);
    } else {
      Map<String, @Nullable Object> root = parse(body);
      if (root != null && root.get("message") instanceof Map<?, ?>) {
        message = freeze(cast(root.get("message")));
      }
      List<String[]> violations = violations(root);
      if (!violations.isEmpty()) {
        answer = invalid(violations);
      } else {
        answer = scripted(Objects.requireNonNull((String) message.get("token")), project, root);
      }
    }
    FcmRequest record =
        new FcmRequest(
            project,
            message,
            body,
            request.version().text(),
            headers(request),
            answer.status(),
            answer.errorCode());
    count(answer);
    synchronized (recorded) {
      requests.add(record);
      recorded.notifyAll();
    }
    return answer;
  }

  private boolean authorized(@Nullable String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String token = authorization.substring("Bearer ".length());
    if (token.equals(acceptedAccessToken)) {
      return true;
    }
    Instant expiry = issuedTokens.get(token);
    return expiry != null && Instant.now().isBefore(expiry);
  }

  // ------------------------------------------------------------------------ the token endpoint

  private Publisher<Void> handleToken(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .map(body -> grant(request, new String(body, StandardCharsets.UTF_8)))
        .onErrorResume(
            error -> {
              log.error("The fake FCM server failed on {}", request.uri(), error);
              return Mono.just(Answer.bug(error));
            })
        .flatMap(
            answer -> {
              response.header("cache-control", "no-cache, no-store, max-age=0, must-revalidate");
              return write(response, answer);
            });
  }

  private Answer grant(HttpServerRequest request, String body) {
    if (!"POST".equals(request.method().name())) {
      return refuse(405, "invalid_request", "The token endpoint only answers POST.");
    }
    Map<String, String> form = form(body);
    String grantType = form.get("grant_type");
    if (!JWT_BEARER_GRANT.equals(grantType)) {
      return refuse(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
    }
    String assertion = form.get("assertion");
    if (assertion == null || assertion.isBlank()) {
      return refuse(400, "invalid_request", "Missing required parameter: assertion");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(assertion);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return invalidGrant("Invalid JWT: not a signed JWT.");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return invalidGrant("Invalid JWT: the signature algorithm must be RS256.");
    }
    String keyId = jwt.getHeader().getKeyID();
    String issuer = claims.getIssuer();
    FakeServiceAccount account = keyId == null ? null : accountsByKeyId.get(keyId);
    if (account == null && issuer != null) {
      account = accountsByEmail.get(issuer);
    }
    if (account == null) {
      return invalidGrant("Invalid grant: account not found");
    }
    if (!account.clientEmail().equals(issuer)) {
      return invalidGrant("Invalid JWT: the issuer is not the owner of key " + keyId + ".");
    }
    try {
      if (!jwt.verify(new RSASSAVerifier(account.publicKey()))) {
        return invalidGrant("Invalid JWT Signature.");
      }
    } catch (JOSEException e) {
      return invalidGrant("Invalid JWT Signature.");
    }
    List<String> audience = claims.getAudience();
    if (audience.size() != 1
        || !(audience.contains(GOOGLE_TOKEN_AUDIENCE) || audience.contains(tokenUri()))) {
      return invalidGrant("Invalid JWT: Failed audience check.");
    }
    Instant now = Instant.now();
    Date issuedAt = claims.getIssueTime();
    Date expiresAt = claims.getExpirationTime();
    if (issuedAt == null
        || expiresAt == null
        || !expiresAt.toInstant().isAfter(now)
        || issuedAt.toInstant().isAfter(now.plus(CLOCK_SKEW))
        || !expiresAt.after(issuedAt)
        || Duration.between(issuedAt.toInstant(), expiresAt.toInstant())
                .compareTo(MAX_TOKEN_LIFETIME)
            > 0) {
      return invalidGrant(
          "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
              + " timeframe. Check your iat and exp values in the JWT claim.");
    }
    long lifetime = Duration.between(issuedAt.toInstant(), expiresAt.toInstant()).toSeconds();
    byte[] random = new byte[32];
    tokenRandom.nextBytes(random);
    String token = "ya29.fake-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    issuedTokens.put(token, now.plusSeconds(lifetime));
    issuedSinceReset.add(token);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", token);
    answer.put("expires_in", lifetime);
    answer.put("token_type", "Bearer");
    return Answer.ok(json.writeValueAsString(answer));
  }

  private Answer invalidGrant(String description) {
    return refuse(400, "invalid_grant", description);
  }

  private Answer refuse(int status, String error, String description) {
    refusals.add(error + ": " + description);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return new Answer(
        status, "application/json; charset=utf-8", json.writeValueAsString(body), null, error);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      form.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }

  // ----------------------------------------------------------------------------- FCM answers

  private Answer scripted(String token, String project, Map<String, @Nullable Object> root) {
    TokenScript script = tokenScripts.get(token);
    if (script != null && script.take()) {
      return failure(script.failure());
    }
    FcmFailure drawn = draw();
    if (drawn != null) {
      return failure(drawn);
    }
    String id =
        Boolean.TRUE.equals(root.get("validate_only"))
            ? "fake_message_id"
            : "0:" + messageIds.incrementAndGet() + "%fakefcm";
    return Answer.ok(
        json.writeValueAsString(Map.of("name", "projects/" + project + "/messages/" + id)));
  }

  private @Nullable FcmFailure draw() {
    synchronized (randomFailures) {
      if (randomFailures.isEmpty()) {
        return null;
      }
      double draw = random.nextDouble();
      double cumulative = 0;
      for (RandomFailure candidate : randomFailures.values()) {
        cumulative += candidate.rate();
        if (draw < cumulative) {
          return candidate.failure();
        }
      }
      return null;
    }
  }

  private @Nullable Map<String, @Nullable Object> parse(String body) {
    try {
      return json.readValue(body, OBJECT);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static List<String[]> violations(@Nullable Map<String, @Nullable Object> root) {
    List<String[]> violations = new ArrayList<>();
    if (root == null) {
      violations.add(new String[] {"", "Invalid JSON payload received: not a JSON object."});
      return violations;
    }
    if (!(root.get("message") instanceof Map<?, ?> rawMessage)) {
      violations.add(new String[] {"message", "Required: a message object."});
      return violations;
    }
    Map<String, @Nullable Object> message = cast(rawMessage);
    if (!(message.get("token") instanceof String token) || token.isBlank()) {
      violations.add(
          new String[] {"message.token", "The registration token is not a valid FCM token."});
    }
    if (message.containsKey("data")) {
      if (message.get("data") instanceof Map<?, ?> data) {
        data.forEach(
            (key, value) -> {
              if (!(value instanceof String)) {
                violations.add(
                    new String[] {
                      "message.data[" + key + "]",
                      "Invalid value: data values must be strings, got " + describe(value)
                    });
              }
            });
      } else {
        violations.add(new String[] {"message.data", "Invalid value: expected an object."});
      }
    }
    if (message.containsKey("android")) {
      if (message.get("android") instanceof Map<?, ?> android) {
        androidViolations(cast(android), violations);
      } else {
        violations.add(new String[] {"message.android", "Invalid value: expected an object."});
      }
    }
    return violations;
  }

  private static void androidViolations(
      Map<String, @Nullable Object> android, List<String[]> violations) {
    if (android.containsKey("priority")
        && !(android.get("priority") instanceof String priority && PRIORITIES.contains(priority))) {
      violations.add(
          new String[] {
            "message.android.priority",
            "Invalid value: " + describe(android.get("priority")) + " (normal or high)"
          });
    }
    if (android.containsKey("ttl")
        && !(android.get("ttl") instanceof String ttl && TTL.matcher(ttl).matches())) {
      violations.add(
          new String[] {
            "message.android.ttl",
            "Invalid value: " + describe(android.get("ttl")) + " (a duration such as \"3600s\")"
          });
    }
    if (android.containsKey("collapse_key") && !(android.get("collapse_key") instanceof String)) {
      violations.add(
          new String[] {
            "message.android.collapse_key",
            "Invalid value: " + describe(android.get("collapse_key")) + " (a string)"
          });
    }
  }

  private Answer invalid(List<String[]> violations) {
    List<Map<String, String>> fields = new ArrayList<>();
    for (String[] violation : violations) {
      Map<String, String> field = new LinkedHashMap<>();
      field.put("field", violation[0]);
      field.put("description", violation[1]);
      fields.add(field);
    }
    Map<String, Object> badRequest = new LinkedHashMap<>();
    badRequest.put("@type", BAD_REQUEST_TYPE);
    badRequest.put("fieldViolations", fields);
    return googleError(
        400,
        "INVALID_ARGUMENT",
        "Request contains an invalid argument.",
        List.of(fcmErrorDetail(FcmErrorCode.INVALID_ARGUMENT), badRequest),
        FcmErrorCode.INVALID_ARGUMENT.name(),
        null);
  }

  private Answer failure(FcmFailure failure) {
    FcmErrorCode code = failure.code();
    return googleError(
        code.httpStatus(),
        code.status(),
        code.message(),
        List.of(fcmErrorDetail(code)),
        code.name(),
        failure.retryAfterHeader());
  }

  private Answer googleError(
      int status,
      String googleStatus,
      String message,
      List<Object> details,
      @Nullable String retryAfter) {
    return googleError(status, googleStatus, message, details, googleStatus, retryAfter);
  }

  private Answer googleError(
      int status,
      String googleStatus,
      String message,
      List<Object> details,
      String errorCode,
      @Nullable String retryAfter) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status);
    error.put("message", message);
    error.put("status", googleStatus);
    if (!details.isEmpty()) {
      error.put("details", details);
    }
    return new Answer(
        status,
        "application/json; charset=UTF-8",
        json.writeValueAsString(Map.of("error", error)),
        retryAfter,
        errorCode);
  }

  private static Map<String, Object> fcmErrorDetail(FcmErrorCode code) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("@type", FCM_ERROR_TYPE);
    detail.put("errorCode", code.name());
    return detail;
  }

  private void count(Answer answer) {
    String code = answer.errorCode();
    if (code == null) {
      accepted.incrementAndGet();
    } else {
      rejected.computeIfAbsent(code, key -> new AtomicInteger()).incrementAndGet();
    }
  }

  private static Map<String, List<String>> headers(HttpServerRequest request) {
    Map<String, List<String>> headers = new TreeMap<>();
    for (Map.Entry<String, String> header : request.requestHeaders()) {
      headers
          .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(header.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(headers);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> cast(@Nullable Object object) {
    return (Map<String, @Nullable Object>) Objects.requireNonNull(object);
  }

  private static Map<String, @Nullable Object> freeze(Map<String, @Nullable Object> object) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    object.forEach((key, value) -> copy.put(key, freezeValue(value)));
    return Collections.unmodifiableMap(copy);
  }

  private static @Nullable Object freezeValue(@Nullable Object value) {
    if (value instanceof Map<?, ?> object) {
      return freeze(cast(object));
    }
    if (value instanceof List<?> array) {
      List<@Nullable Object> copy = new ArrayList<>();
      array.forEach(element -> copy.add(freezeValue(element)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }

  private static String describe(@Nullable Object value) {
    return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
  }

  /** Configuration fixed at construction. */
  public static final class Builder {

    private String acceptedAccessToken = DEFAULT_ACCESS_TOKEN;
    private long randomSeed;
    private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
    private @Nullable TestPki pki;

    private Builder() {}

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

  private static final class TokenScript {

    private final FcmFailure failure;
    // -1: for ever; otherwise the answers left.
    private final AtomicInteger remaining;

    TokenScript(FcmFailure failure, int remaining) {
      this.failure = failure;
      this.remaining = new AtomicInteger(remaining);
    }

    FcmFailure failure() {
      return failure;
    }

    boolean take() {
      return remaining.getAndUpdate(left -> left > 0 ? left - 1 : left) != 0;
    }
  }

  private record RandomFailure(FcmFailure failure, double rate) {}

  private record Answer(
      int status,
      String contentType,
      String body,
      @Nullable String retryAfter,
      @Nullable String errorCode) {

    static Answer ok(String body) {
      return new Answer(200, "application/json; charset=UTF-8", body, null, null);
    }

    static Answer bug(Throwable error) {
      return new Answer(
          500, "text/plain; charset=UTF-8", "fake FCM server bug: " + error, null, "FAKE_BUG");
    }
  }
}
