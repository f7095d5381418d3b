package dev.inboxpush.listener.dispatch.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.WarmUp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FcmOutcomesTests {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @ParameterizedTest(name = "{0} {1} Retry-After {2}")
  @CsvSource(
      textBlock =
          """
          # code,                status, Retry-After s, outcome,            label,                  retry after s
          UNREGISTERED,           404,   ,              TokenDead,          unregistered,
          INVALID_ARGUMENT,       400,   ,              Failed,             invalid_argument,
          SENDER_ID_MISMATCH,     403,   ,              ConfigurationError, sender_id_mismatch,
          THIRD_PARTY_AUTH_ERROR, 401,   ,              ConfigurationError, third_party_auth_error,
          APNS_AUTH_ERROR,        401,   ,              ConfigurationError, apns_auth_error,
          QUOTA_EXCEEDED,         429,   ,              Retryable,          quota_exceeded,         60
          QUOTA_EXCEEDED,         429,   120,           Retryable,          quota_exceeded,         120
          QUOTA_EXCEEDED,         429,   10,            Retryable,          quota_exceeded,         10
          UNAVAILABLE,            503,   ,              Retryable,          unavailable,
          UNAVAILABLE,            503,   30,            Retryable,          unavailable,            30
          INTERNAL,               500,   ,              Retryable,          internal,
          INTERNAL,               500,   5,             Retryable,          internal,               5
          ,                       401,   ,              ConfigurationError, status_401,
          SOMETHING_NEW,          403,   ,              ConfigurationError, status_403,
          SOMETHING_NEW,          404,   ,              Failed,             status_404,
          UNSPECIFIED_ERROR,      400,   ,              Failed,             status_400,
          SOMETHING_NEW,          418,   ,              Failed,             status_418,
          SOMETHING_NEW,          429,   7,             Retryable,          status_429,             7
          ,                       502,   ,              Retryable,          status_502,
          SOMETHING_NEW,          504,   ,              Retryable,          status_504,
          """)
  void everyCodeHasItsOutcome(
      @Nullable String code,
      int status,
      @Nullable Long retryAfterSeconds,
      String outcome,
      String label,
      @Nullable Long expectedRetryAfterSeconds) {
    DispatchOutcome result = FcmOutcomes.rejected(code, status, seconds(retryAfterSeconds), NOW);

    assertThat(result.getClass().getSimpleName()).isEqualTo(outcome);
    Duration expectedRetryAfter = seconds(expectedRetryAfterSeconds);
    DispatchOutcome expected =
        switch (outcome) {
          case "TokenDead" -> new DispatchOutcome.TokenDead(NOW, label);
          case "Failed" -> new DispatchOutcome.Failed(label);
          case "ConfigurationError" -> new DispatchOutcome.ConfigurationError(label);
          case "Retryable" -> new DispatchOutcome.Retryable(expectedRetryAfter, label);
          default -> throw new IllegalArgumentException(outcome);
        };
    assertThat(result).isEqualTo(expected);
  }

  @Test
  void aTransportFailureIsRetryable() {
    assertThat(FcmOutcomes.transportFailure())
        .isEqualTo(new DispatchOutcome.Retryable(null, LaneReason.TRANSPORT));
  }

  @ParameterizedTest
  @EnumSource(FcmOutcomes.Code.class)
  void everyDocumentedCodeHasAWhyAndABoundedLabel(FcmOutcomes.Code code) {
    assertThat(code.why()).isNotBlank();
    assertThat(code.status()).isBetween(400, 599);
    DispatchOutcome outcome = FcmOutcomes.rejected(code.name(), code.status(), null, NOW);
    // A label is bounded: the enum name in lower case, never raw text.
    assertThat(reason(outcome)).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void onlyUnregisteredDeletesATokenWhateverTheStatus() {
    for (FcmOutcomes.Code code : FcmOutcomes.Code.values()) {
      for (int status : new int[] {400, 401, 403, 404, 410, 429, 500, 503}) {
        boolean dead =
            FcmOutcomes.rejected(code.name(), status, null, NOW)
                instanceof DispatchOutcome.TokenDead;
        assertThat(dead)
            .as("%s with %d", code, status)
            .isEqualTo(code == FcmOutcomes.Code.UNREGISTERED);
      }
    }
    for (int status = 400; status < 600; status++) {
      assertThat(FcmOutcomes.rejected("SOMETHING_NEW", status, null, NOW))
          .as("unknown code with %d", status)
          .isNotInstanceOf(DispatchOutcome.TokenDead.class);
    }
  }

  private static @Nullable Duration seconds(@Nullable Long seconds) {
    return seconds == null ? null : Duration.ofSeconds(seconds);
  }

  private static String reason(DispatchOutcome outcome) {
    if (outcome instanceof DispatchOutcome.TokenDead dead) {
      return dead.reason();
    }
    if (outcome instanceof DispatchOutcome.Retryable retryable) {
      return retryable.reason();
    }
    if (outcome instanceof DispatchOutcome.ConfigurationError error) {
      return error.reason();
    }
    if (outcome instanceof DispatchOutcome.Failed failed) {
      return failed.reason();
    }
    return outcome.label();
  }

  /** What the table implies: one outcome per documented code, and the transport failure. */
  @Test
  void theDocumentedOutcomesAreEveryCodesOutcomeAndTheTransportFailure() {
    assertThat(FcmOutcomes.documented())
        .hasSize(FcmOutcomes.Code.values().length + 1)
        .doesNotHaveDuplicates()
        .contains(FcmOutcomes.transportFailure());
    for (FcmOutcomes.Code code : FcmOutcomes.Code.values()) {
      assertThat(FcmOutcomes.documented())
          .as(code.name())
          .anyMatch(outcome -> outcome.reason().equals(code.name().toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * The warm-up is a dry run to a token that cannot exist: {@code INVALID_ARGUMENT} is the expected
   * answer; 401/403 without an FCM code is our access token or permission refused.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      textBlock =
          """
          # code,                status, outcome,   logged reason
          INVALID_ARGUMENT,       400,   WARMED,    invalid_argument
          UNREGISTERED,           404,   WARMED,    unregistered
          SENDER_ID_MISMATCH,     403,   WARMED,    sender_id_mismatch
          THIRD_PARTY_AUTH_ERROR, 401,   WARMED,    third_party_auth_error
          QUOTA_EXCEEDED,         429,   FAILED,    quota_exceeded
          UNAVAILABLE,            503,   FAILED,    unavailable
          INTERNAL,               500,   FAILED,    internal
          ,                       401,   REFUSED,   status_401
          ,                       403,   REFUSED,   status_403
          SOMETHING_NEW,          403,   REFUSED,   status_403
          ,                       404,   FAILED,    status_404
          ,                       502,   FAILED,    status_502
          """)
  void theWarmUpDryRunsAnswers(
      @Nullable String code, int status, WarmUp.Outcome outcome, String logged) {
    assertThat(FcmOutcomes.warmUp(code, status)).isEqualTo(new WarmUp.Result(outcome, logged));
  }
}
