package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.inboxpush.testsupport.tls.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives {@link FakeFcmServer} through the real firebase-admin 9.11.0 client (its default HTTP/2
 * transport, via {@link FakeFcmTransport}), and through the JDK HTTP client where firebase-admin
 * cannot send what the test needs (malformed messages, HTTP/1.1).
 */
class FakeFcmServerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String PROJECT = "demo-project";
  private static final String SEND_PATH = "/v1/projects/" + PROJECT + "/messages:send";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  // One root for every server here, so that one JDK client per HTTP version trusts them all.
  private static final TestPki PKI = TestPki.create();

  private static FakeFcmServer server;
  private static FakeFcmTransport transport;
  private static HttpClient http2;
  private static HttpClient http11;
  private static FirebaseApp app;
  private static FirebaseMessaging messaging;

  @BeforeAll
  static void start() {
    server = FakeFcmServer.builder().pki(PKI).build().start();
    http2 = jdkClient(HttpClient.Version.HTTP_2);
    http11 = jdkClient(HttpClient.Version.HTTP_1_1);
    transport = FakeFcmTransport.connect(server);
    app = FirebaseApp.initializeApp(transport.firebaseOptions(PROJECT).build(), "fake-fcm-it");
    messaging = FirebaseMessaging.getInstance(app);
  }

  @AfterAll
  static void stop() {
    app.delete();
    transport.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  @Test
  void acceptsABadgeMessageOverHttp2AndRecordsItExactly() throws Exception {
    String name = send(badge("token-ok"));

    assertThat(name).matches("projects/demo-project/messages/.+");
    assertThat(server.requests()).hasSize(1);
    FcmRequest request = server.requests().get(0);
    assertThat(request.project()).isEqualTo(PROJECT);
    assertThat(request.token()).isEqualTo("token-ok");
    assertThat(request.protocol()).isEqualTo("HTTP/2.0");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + server.acceptedAccessToken());
    assertThat(request.data())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("kind", "new-mail", "unread", "7", "registrationId", "r1"));
    assertThat(request.at("android"))
        .isEqualTo(Map.of("collapse_key", "badge-r1", "priority", "high", "ttl", "3600s"));
    assertThat(request.at("notification")).isNull();
    assertThat(request.accepted()).isTrue();
    assertThat(server.received()).isEqualTo(1);
    assertThat(server.accepted()).isEqualTo(1);
    assertThat(server.rejections()).isEmpty();
  }

  @Test
  void answersADryRunWithGooglesFakeMessageId() throws Exception {
    String name = messaging.sendAsync(badge("token-dry"), true).get(30, TimeUnit.SECONDS);

    assertThat(name).isEqualTo("projects/demo-project/messages/fake_message_id");
    assertThat(server.requests().get(0).message()).doesNotContainKey("validate_only");
  }

  /**
   * Each documented error, scripted for one token, reaches firebase-admin as the right {@code
   * MessagingErrorCode}. The attempts column records what firebase-admin does on its own: it
   * retries 503 four times (honouring Retry-After), and every 401 makes google-auth refresh the
   * token and send again, four times, even when the 401 is FCM's THIRD_PARTY_AUTH_ERROR about the
   * APNs credentials, which no refresh can cure.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # code                 | HTTP | platform code      | Retry-After | attempts
          UNREGISTERED           | 404  | NOT_FOUND          |             | 1
          INVALID_ARGUMENT       | 400  | INVALID_ARGUMENT   |             | 1
          SENDER_ID_MISMATCH     | 403  | PERMISSION_DENIED  |             | 1
          QUOTA_EXCEEDED         | 429  | RESOURCE_EXHAUSTED | 60          | 1
          UNAVAILABLE            | 503  | UNAVAILABLE        | 1           | 5
          INTERNAL               | 500  | INTERNAL           |             | 1
          THIRD_PARTY_AUTH_ERROR | 401  | UNAUTHENTICATED    |             | 5
          """)
  void scriptedErrorsReachFirebaseAdminWithTheirCodes(
      FcmErrorCode code,
      int httpStatus,
      ErrorCode platformCode,
      @Nullable Integer retryAfterSeconds,
      int attempts) {
    String token = "token-" + code.name().toLowerCase();
    FcmFailure failure = FcmFailure.of(code);
    if (retryAfterSeconds != null) {
      failure = failure.withRetryAfter(Duration.ofSeconds(retryAfterSeconds));
    }
    server.failToken(token, failure);

    FirebaseMessagingException e = sendFailing(badge(token));

    assertThat(e.getMessagingErrorCode()).isEqualTo(MessagingErrorCode.valueOf(code.name()));
    assertThat(e.getErrorCode()).isEqualTo(platformCode);
    assertThat(e.getHttpResponse()).isNotNull();
    assertThat(e.getHttpResponse().getStatusCode()).isEqualTo(httpStatus);
    assertThat(firstHeader(e.getHttpResponse().getHeaders(), "retry-after"))
        .isEqualTo(retryAfterSeconds == null ? null : retryAfterSeconds.toString());
    assertThat(server.requestsFor(token))
        .hasSize(attempts)
        .allSatisfy(request -> assertThat(request.status()).isEqualTo(httpStatus));
    assertThat(server.rejected(code)).isEqualTo(attempts);
    assertThat(server.accepted()).isZero();
  }

  @Test
  void aFailureScriptedForSomeRequestsEndsAndOnlyHitsItsToken() throws Exception {
    server.failToken("token-flaky", FcmFailure.of(FcmErrorCode.QUOTA_EXCEEDED), 1);

    assertThat(sendFailing(badge("token-flaky")).getMessagingErrorCode())
        .isEqualTo(MessagingErrorCode.QUOTA_EXCEEDED);
    send(badge("token-other"));
    send(badge("token-flaky"));

    assertThat(server.requestsFor("token-flaky"))
        .extracting(FcmRequest::status)
        .containsExactly(429, 200);
    assertThat(server.requestsFor("token-other"))
        .extracting(FcmRequest::status)
        .containsExactly(200);
  }

  @Test
  void firebaseAdminRetriesOneUnavailableItselfAfterRetryAfter() throws Exception {
    server.failToken(
        "token-503-once",
        FcmFailure.of(FcmErrorCode.UNAVAILABLE).withRetryAfter(Duration.ofSeconds(1)),
        1);

    long started = System.nanoTime();
    send(badge("token-503-once"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(server.requestsFor("token-503-once"))
        .extracting(FcmRequest::status)
        .containsExactly(503, 200);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aWrongBearerTokenIsUnauthenticated() throws Exception {
    FirebaseApp wrong =
        FirebaseApp.initializeApp(
            transport
                .firebaseOptions(PROJECT)
                .setCredentials(FakeFcmTransport.credentials("wrong-token"))
                .build(),
            "fake-fcm-it-wrong-token");
    try {
      FirebaseMessagingException e =
          sendFailing(FirebaseMessaging.getInstance(wrong), badge("token-any"));

      assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessagingErrorCode()).isNull();
      assertThat(e.getHttpResponse().getStatusCode()).isEqualTo(401);
      assertThat(server.accepted()).isZero();
      // google-auth refreshes (to the same token) and retries each 401: 1 + 4 attempts.
      assertThat(server.rejected("UNAUTHENTICATED")).isEqualTo(server.received()).isEqualTo(5);
      assertThat(server.requests())
          .allSatisfy(
              request -> {
                assertThat(request.header("authorization")).isEqualTo("Bearer wrong-token");
                assertThat(request.status()).isEqualTo(401);
              });
    } finally {
      wrong.delete();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # body                                                          | violated field
          not json                                                        | ''
          []                                                              | ''
          {}                                                              | message
          {"message":"hello"}                                             | message
          {"message":{}}                                                  | message.token
          {"message":{"token":""}}                                        | message.token
          {"message":{"token":7}}                                         | message.token
          {"message":{"token":"t","data":{"unread":7}}}                   | message.data[unread]
          {"message":{"token":"t","data":["x"]}}                          | message.data
          {"message":{"token":"t","android":"high"}}                      | message.android
          {"message":{"token":"t","android":{"priority":"urgent"}}}       | message.android.priority
          {"message":{"token":"t","android":{"ttl":"3600"}}}              | message.android.ttl
          {"message":{"token":"t","android":{"ttl":3600}}}                | message.android.ttl
          {"message":{"token":"t","android":{"ttl":"1.0123456789s"}}}     | message.android.ttl
          {"message":{"token":"t","android":{"ttl":"-1s"}}}               | message.android.ttl
          {"message":{"token":"t","android":{"collapse_key":7}}}          | message.android.collapse_key
          """)
  void malformedMessagesAreInvalidArgument(String body, String field) throws Exception {
    HttpResponse<String> response = post(HttpClient.Version.HTTP_2, body);

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("details").get(0).path("@type").asString())
        .isEqualTo("type.googleapis.com/google.firebase.fcm.v1.FcmError");
    assertThat(error.path("details").get(0).path("errorCode").asString())
        .isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("details").get(1).path("fieldViolations").get(0).path("field").asString())
        .isEqualTo(field);
    assertThat(server.rejected(FcmErrorCode.INVALID_ARGUMENT)).isEqualTo(1);
    assertThat(server.requests()).singleElement().extracting(FcmRequest::body).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        """
        {"message":{"token":"t"}}""",
        """
        {"message":{"token":"t","data":{"kind":"wake"},"android":{"priority":"normal","ttl":"0s"}}}""",
        """
        {"message":{"token":"t","android":{"priority":"HIGH","ttl":"0.5s","collapse_key":"k"}}}""",
        """
        {"message":{"token":"t","android":{"ttl":"2419200.123456789s"}},"validate_only":false}""",
        """
        {"message":{"token":"t","notification":{"title":"You have new messages"}}}"""
      })
  void wellFormedRawMessagesAreAccepted(String body) throws Exception {
    HttpResponse<String> response = post(HttpClient.Version.HTTP_2, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("name").asString())
        .startsWith("projects/demo-project/messages/");
    assertThat(server.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.message()).isEqualTo(parse(body).get("message")));
  }

  @Test
  void servesHttp11Too() throws Exception {
    HttpResponse<String> response =
        post(HttpClient.Version.HTTP_1_1, "{\"message\":{\"token\":\"t\"}}");

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.requests())
        .singleElement()
        .extracting(FcmRequest::protocol)
        .isEqualTo("HTTP/1.1");
  }

  @Test
  void answersUnknownPathsNotFound() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/projects/p/messages:sendAll"))
            .timeout(TIMEOUT)
            .header("authorization", "Bearer " + server.acceptedAccessToken())
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();

    HttpResponse<String> response = http2.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(server.rejected("NOT_FOUND")).isEqualTo(1);
  }

  @Test
  void delaysAnswersByTheConfiguredLatency() throws Exception {
    send(badge("token-warm-up"));
    Duration latency = Duration.ofMillis(400);
    server.setLatency(latency);

    long started = System.nanoTime();
    send(badge("token-slow"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isGreaterThanOrEqualTo(latency);
  }

  @Test
  void measuresHowManyRequestsAreInFlightAtOnce() throws Exception {
    server.setLatency(Duration.ofMillis(200));
    List<ApiFuture<String>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(messaging.sendAsync(badge("token-concurrent-" + i)));
    }
    ApiFutures.allAsList(sends).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(server.accepted()).isEqualTo(20);
    assertThat(server.maxInFlight()).isBetween(2, 20);
    assertThat(server.inFlight()).isZero();

    server.resetCounters();
    send(badge("token-sequential-1"));
    send(badge("token-sequential-2"));

    assertThat(server.maxInFlight()).isEqualTo(1);
    assertThat(server.received()).isEqualTo(2);
  }

  @Test
  void randomFailuresFollowTheirRatesAndReachFirebaseAdmin() throws Exception {
    server
        .failRandomly(FcmFailure.of(FcmErrorCode.QUOTA_EXCEEDED), 0.3)
        .failRandomly(FcmFailure.of(FcmErrorCode.INTERNAL), 0.2);

    int ok = 0;
    int quota = 0;
    int internal = 0;
    for (int i = 0; i < 60; i++) {
      try {
        send(badge("token-random-" + i));
        ok++;
      } catch (FirebaseMessagingException e) {
        switch (e.getMessagingErrorCode()) {
          case QUOTA_EXCEEDED -> quota++;
          case INTERNAL -> internal++;
          default -> throw e;
        }
      }
    }

    assertThat(server.accepted()).isEqualTo(ok).isPositive();
    assertThat(server.rejected(FcmErrorCode.QUOTA_EXCEEDED)).isEqualTo(quota).isPositive();
    assertThat(server.rejected(FcmErrorCode.INTERNAL)).isEqualTo(internal).isPositive();
    assertThat(ok + quota + internal).isEqualTo(60);
  }

  @Test
  void theSameSeedGivesTheSameRandomFailures() throws Exception {
    assertThat(randomStatuses(42)).isEqualTo(randomStatuses(42)).isNotEqualTo(randomStatuses(43));
  }

  @Test
  void awaitingRequestsTimesOut() {
    assertThatThrownBy(() -> server.awaitRequests(1, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected at least 1 FCM requests");
  }

  @Test
  void awaitingRequestsReturnsOnceTheyArrive() throws Exception {
    ApiFuture<String> sent = messaging.sendAsync(badge("token-awaited"));

    assertThat(server.awaitRequests(1, TIMEOUT))
        .singleElement()
        .extracting(FcmRequest::token)
        .isEqualTo("token-awaited");
    sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------ service accounts and OAuth2 tokens

  @Test
  void writesAServiceAccountFileLikeGooglesWithoutShowingTheKey() throws Exception {
    FakeServiceAccount account = server.newServiceAccount("sa-file-project");

    JsonNode file = JSON.readTree(account.json());
    assertThat(file.path("type").asString()).isEqualTo("service_account");
    assertThat(file.path("project_id").asString()).isEqualTo("sa-file-project");
    assertThat(file.path("private_key_id").asString()).isEqualTo(account.privateKeyId());
    assertThat(file.path("private_key").asString())
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("\n-----END PRIVATE KEY-----\n");
    assertThat(file.path("client_email").asString())
        .isEqualTo(account.clientEmail())
        .matches("fcm-test-[0-9a-f]{6}@sa-file-project\\.iam\\.gserviceaccount\\.com");
    assertThat(file.path("client_id").asString()).isEqualTo(account.clientId()).matches("\\d+");
    assertThat(file.path("token_uri").asString())
        .isEqualTo(server.tokenUri())
        .isEqualTo("https://fcm.googleapis.com/token");
    assertThat(file.path("auth_uri").asString())
        .isEqualTo("https://accounts.google.com/o/oauth2/auth");
    assertThat(account.toString()).doesNotContain("PRIVATE").doesNotContain("modulus");
    try (InputStream in = Files.newInputStream(account.file())) {
      ServiceAccountCredentials read = ServiceAccountCredentials.fromStream(in, transport);
      assertThat(read.getClientEmail()).isEqualTo(account.clientEmail());
      assertThat(read.getPrivateKeyId()).isEqualTo(account.privateKeyId());
      assertThat(read.getProjectId()).isEqualTo("sa-file-project");
      assertThat(read.getTokenServerUri()).isEqualTo(URI.create(server.tokenUri()));
      assertThat(read.getPrivateKey().getEncoded()).isEqualTo(account.privateKey().getEncoded());
    }
  }

  /**
   * The production path: credentials read from a service-account file, a JWT signed with its key
   * exchanged at its token_uri for an access token, that token presented to FCM; the project comes
   * from the file, as the app names none. The token is fetched once and reused.
   */
  @Test
  void sendsWithServiceAccountCredentialsReadFromTheFile() throws Exception {
    FakeServiceAccount account = server.newServiceAccount("sa-project");
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(account.file())) {
      credentials = GoogleCredentials.fromStream(in, () -> transport.httpTransport());
    }
    assertThat(credentials).isInstanceOf(ServiceAccountCredentials.class);
    FirebaseApp serviceApp = serviceAccountApp(credentials, "fake-fcm-it-service-account");
    try {
      FirebaseMessaging client = FirebaseMessaging.getInstance(serviceApp);

      String name = send(client, badge("token-sa-1"));

      assertThat(name).startsWith("projects/sa-project/messages/");
      assertThat(server.tokensIssued()).isEqualTo(1);
      assertThat(server.tokenRefusals()).isEmpty();
      String issued = server.issuedAccessTokens().get(0);
      assertThat(issued).isNotEqualTo(server.acceptedAccessToken());
      assertThat(server.requests())
          .singleElement()
          .satisfies(
              request -> {
                assertThat(request.header("authorization")).isEqualTo("Bearer " + issued);
                assertThat(request.project()).isEqualTo("sa-project");
                assertThat(request.status()).isEqualTo(200);
              });

      send(client, badge("token-sa-2"));

      assertThat(server.tokensIssued()).isEqualTo(1);
      assertThat(server.requests())
          .extracting(request -> request.header("authorization"))
          .containsExactly("Bearer " + issued, "Bearer " + issued);
    } finally {
      serviceApp.delete();
    }
  }

  /** A 401 makes google-auth fetch a new token from the endpoint and send again, once. */
  @Test
  void aRevokedTokenIsReplacedByGoogleAuthAfterA401() throws Exception {
    FakeServiceAccount account = server.newServiceAccount(PROJECT);
    FirebaseApp serviceApp =
        serviceAccountApp(credentialsFrom(account.file()), "fake-fcm-it-revoked");
    try {
      FirebaseMessaging client = FirebaseMessaging.getInstance(serviceApp);
      send(client, badge("token-before"));
      server.revokeIssuedTokens();

      send(client, badge("token-after"));

      List<String> issued = server.issuedAccessTokens();
      assertThat(issued).hasSize(2).doesNotHaveDuplicates();
      assertThat(server.requests())
          .extracting(FcmRequest::status, request -> request.header("authorization"))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(200, "Bearer " + issued.get(0)),
              org.assertj.core.groups.Tuple.tuple(401, "Bearer " + issued.get(0)),
              org.assertj.core.groups.Tuple.tuple(200, "Bearer " + issued.get(1)));
    } finally {
      serviceApp.delete();
    }
  }

  /**
   * A key the fake does not know: google-auth gets invalid_grant, does not retry a 400, and the
   * send fails before any FCM request.
   */
  @Test
  void anUnregisteredKeyGetsInvalidGrantAndTheSendFails() throws Exception {
    FakeServiceAccount stranger = FakeServiceAccount.generate(PROJECT, server.tokenUri());

    FirebaseMessagingException e = sendWithFailingCredentials(stranger.file(), "unregistered");

    assertThat(server.tokenRefusals())
        .containsExactly("invalid_grant: Invalid grant: account not found");
    assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(e.getMessagingErrorCode()).isNull();
    assertThat(e.getHttpResponse()).isNull();
    assertThat(e).hasMessageContaining("invalid_grant");
    assertThat(e.getCause()).hasMessageContaining("Invalid grant: account not found");
  }

  /** A file naming a registered account but holding another key: the signature does not verify. */
  @Test
  void aTamperedKeyGetsInvalidGrantAndTheSendFails() throws Exception {
    FakeServiceAccount registered = server.newServiceAccount(PROJECT);
    FakeServiceAccount stranger = FakeServiceAccount.generate(PROJECT, server.tokenUri());
    ObjectNode tampered = (ObjectNode) JSON.readTree(registered.json());
    tampered.put("private_key", JSON.readTree(stranger.json()).path("private_key").asString());
    Path file = Files.createTempFile("tampered-service-account-", ".json");
    try {
      Files.writeString(file, JSON.writeValueAsString(tampered));

      FirebaseMessagingException e = sendWithFailingCredentials(file, "tampered");

      assertThat(server.tokenRefusals()).containsExactly("invalid_grant: Invalid JWT Signature.");
      assertThat(e.getCause()).hasMessageContaining("Invalid JWT Signature.");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** What the token endpoint refuses, each next to the assertion it accepts. */
  enum Assertion {
    VALID(UnaryOperator.identity(), null),
    // What google-auth sends, whatever the token_uri of the file.
    VALID_FOR_GOOGLES_AUDIENCE(
        claims ->
            new JWTClaimsSet.Builder(claims).audience(FakeFcmServer.GOOGLE_TOKEN_AUDIENCE).build(),
        null),
    EXPIRED(
        claims ->
            new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                .build(),
        "invalid_grant: Invalid JWT: Token must be a short-lived token"),
    LONGER_THAN_AN_HOUR(
        claims ->
            new JWTClaimsSet.Builder(claims)
                .expirationTime(Date.from(Instant.now().plusSeconds(7200)))
                .build(),
        "invalid_grant: Invalid JWT: Token must be a short-lived token"),
    WRONG_AUDIENCE(
        claims ->
            new JWTClaimsSet.Builder(claims).audience("https://accounts.example.com/token").build(),
        "invalid_grant: Invalid JWT: Failed audience check."),
    OTHER_ISSUER(
        claims -> new JWTClaimsSet.Builder(claims).issuer("someone@else.example").build(),
        "invalid_grant: Invalid JWT: the issuer is not the owner of key"),
    HMAC_SIGNED(UnaryOperator.identity(), "invalid_grant: Invalid JWT: the signature algorithm"),
    WRONG_GRANT_TYPE(UnaryOperator.identity(), "unsupported_grant_type: Invalid grant_type");

    final UnaryOperator<JWTClaimsSet> claims;
    final @Nullable String refusal;

    Assertion(UnaryOperator<JWTClaimsSet> claims, @Nullable String refusal) {
      this.claims = claims;
      this.refusal = refusal;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Assertion.class)
  void theTokenEndpointJudgesTheAssertion(Assertion assertion) throws Exception {
    FakeServiceAccount account = server.newServiceAccount(PROJECT);
    Instant now = Instant.now();
    JWTClaimsSet claims =
        assertion.claims.apply(
            new JWTClaimsSet.Builder()
                .issuer(account.clientEmail())
                .audience(server.tokenUri())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("scope", "https://www.googleapis.com/auth/firebase.messaging")
                .build());
    JWSAlgorithm algorithm =
        assertion == Assertion.HMAC_SIGNED ? JWSAlgorithm.HS256 : JWSAlgorithm.RS256;
    JWSSigner signer =
        assertion == Assertion.HMAC_SIGNED
            ? new MACSigner(new byte[32])
            : new RSASSASigner(account.privateKey());
    String grantType =
        assertion == Assertion.WRONG_GRANT_TYPE
            ? "client_credentials"
            : FakeFcmServer.JWT_BEARER_GRANT;

    HttpResponse<String> response =
        postToken(
            "grant_type="
                + URLEncoder.encode(grantType, StandardCharsets.UTF_8)
                + "&assertion="
                + sign(claims, algorithm, account.privateKeyId(), signer));

    JsonNode body = JSON.readTree(response.body());
    if (assertion.refusal == null) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
      assertThat(body.path("expires_in").asInt()).isEqualTo(3600);
      String token = body.path("access_token").asString();
      assertThat(server.issuedAccessTokens()).containsExactly(token);
      assertThat(server.tokenRefusals()).isEmpty();
      assertThat(statusOfSendWith(token)).isEqualTo(200);
      server.revokeIssuedTokens();
      assertThat(statusOfSendWith(token)).isEqualTo(401);
    } else {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      String error = assertion.refusal.substring(0, assertion.refusal.indexOf(':'));
      assertThat(body.path("error").asString()).isEqualTo(error);
      assertThat(error + ": " + body.path("error_description").asString())
          .startsWith(assertion.refusal);
      assertThat(server.tokenRefusals()).singleElement().asString().startsWith(assertion.refusal);
      assertThat(server.tokensIssued()).isZero();
    }
    assertThat(server.received()).isEqualTo(assertion.refusal == null ? 2 : 0);
  }

  private static String sign(
      JWTClaimsSet claims, JWSAlgorithm algorithm, String keyId, JWSSigner signer)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static HttpResponse<String> postToken(String form)
      throws IOException, InterruptedException {
    return http2.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + FakeFcmServer.TOKEN_PATH))
            .timeout(TIMEOUT)
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int statusOfSendWith(String accessToken) throws Exception {
    return http2
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + SEND_PATH))
                .timeout(TIMEOUT)
                .header("authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"token\":\"t\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static GoogleCredentials credentialsFrom(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return GoogleCredentials.fromStream(in, transport);
    }
  }

  private static FirebaseApp serviceAccountApp(GoogleCredentials credentials, String name) {
    return FirebaseApp.initializeApp(
        FirebaseOptions.builder()
            .setCredentials(credentials)
            .setHttpTransport(transport.httpTransport())
            .build(),
        name);
  }

  private static FirebaseMessagingException sendWithFailingCredentials(Path file, String name)
      throws IOException {
    FirebaseApp serviceApp = serviceAccountApp(credentialsFrom(file), "fake-fcm-it-" + name);
    try {
      FirebaseMessagingException e =
          sendFailing(FirebaseMessaging.getInstance(serviceApp), badge("token-" + name));
      assertThat(server.tokensIssued()).isZero();
      assertThat(server.received()).isZero();
      return e;
    } finally {
      serviceApp.delete();
    }
  }

  private static List<Integer> randomStatuses(long seed) throws Exception {
    try (FakeFcmServer seeded = FakeFcmServer.builder().pki(PKI).randomSeed(seed).build().start()) {
      seeded.failRandomly(FcmFailure.of(FcmErrorCode.UNAVAILABLE), 0.5);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        statuses.add(
            http2
                .send(
                    sendRequest(seeded, "{\"message\":{\"token\":\"t" + i + "\"}}"),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode());
      }
      assertThat(statuses).containsOnly(200, 503);
      return statuses;
    }
  }

  // Tokens are what the listener targets; FID targeting (setFid, 9.10.0) is a later migration.
  @SuppressWarnings("deprecation")
  private static Message badge(String token) {
    return Message.builder()
        .setToken(token)
        .putData("kind", "new-mail")
        .putData("unread", "7")
        .putData("registrationId", "r1")
        .setAndroidConfig(
            AndroidConfig.builder()
                .setPriority(AndroidConfig.Priority.HIGH)
                .setTtl(Duration.ofHours(1).toMillis())
                .setCollapseKey("badge-r1")
                .build())
        .build();
  }

  private static String send(Message message)
      throws FirebaseMessagingException, InterruptedException, TimeoutException {
    return send(messaging, message);
  }

  private static String send(FirebaseMessaging client, Message message)
      throws FirebaseMessagingException, InterruptedException, TimeoutException {
    try {
      return client.sendAsync(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FirebaseMessagingException failure) {
        throw failure;
      }
      throw new AssertionError("unexpected failure", e.getCause());
    }
  }

  private static FirebaseMessagingException sendFailing(Message message) {
    return sendFailing(messaging, message);
  }

  private static FirebaseMessagingException sendFailing(FirebaseMessaging client, Message message) {
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class,
            () -> client.sendAsync(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(e).as("the send should have failed").isNotNull();
    assertThat(e.getCause()).isInstanceOf(FirebaseMessagingException.class);
    return (FirebaseMessagingException) e.getCause();
  }

  private static @Nullable String firstHeader(Map<String, Object> headers, String name) {
    Object value = headers.get(name);
    if (value instanceof List<?> values) {
      return values.isEmpty() ? null : String.valueOf(values.get(0));
    }
    return value == null ? null : value.toString();
  }

  private static HttpResponse<String> post(HttpClient.Version version, String body)
      throws IOException, InterruptedException {
    HttpClient client = version == HttpClient.Version.HTTP_2 ? http2 : http11;
    return client.send(sendRequest(server, body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest sendRequest(FakeFcmServer target, String body) {
    return HttpRequest.newBuilder(URI.create(target.baseUrl() + SEND_PATH))
        .timeout(TIMEOUT)
        .header("authorization", "Bearer " + target.acceptedAccessToken())
        .header("content-type", "application/json; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpClient jdkClient(HttpClient.Version version) {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(server.clientSslContext())
        .connectTimeout(TIMEOUT)
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String body) {
    return JSON.readValue(body, Map.class);
  }
}
