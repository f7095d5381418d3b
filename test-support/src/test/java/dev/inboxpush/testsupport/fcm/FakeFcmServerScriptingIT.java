package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.firebase.ErrorCode;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failures scripted per token and drawn at seeded random rates, and latency, as firebase-admin sees
 * them: each documented error code, the retries firebase-admin and google-auth make on their own,
 * and the same answers for the same seed.
 */
class FakeFcmServerScriptingIT extends FakeFcmServerITSupport {

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

  private List<Integer> randomStatuses(long seed) throws Exception {
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

  private static @Nullable String firstHeader(Map<String, Object> headers, String name) {
    Object value = headers.get(name);
    if (value instanceof List<?> values) {
      return values.isEmpty() ? null : String.valueOf(values.get(0));
    }
    return value == null ? null : value.toString();
  }
}
