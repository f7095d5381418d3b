package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.inboxpush.testsupport.tls.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
    try {
      return messaging.sendAsync(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
