package dev.inboxpush.listener.dispatch.apns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.WarmUp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ApnsOutcomesTests {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @ParameterizedTest
  @CsvSource(
      textBlock =
          """
          # status, reason,                      outcome
          410, Unregistered,                     TokenDead
          410, ExpiredToken,                     TokenDead
          400, DeviceTokenNotForTopic,           ConfigurationError
          400, BadTopic,                         ConfigurationError
          400, TopicDisallowed,                  ConfigurationError
          400, MissingTopic,                     ConfigurationError
          403, InvalidProviderToken,             ConfigurationError
          403, ExpiredProviderToken,             ConfigurationError
          403, BadCertificate,                   ConfigurationError
          403, BadCertificateEnvironment,        ConfigurationError
          403, Forbidden,                        ConfigurationError
          403, MissingProviderToken,             ConfigurationError
          403, UnrelatedKeyIdInToken,            Retryable
          429, TooManyProviderTokenUpdates,      ConfigurationError
          429, TooManyRequests,                  Retryable
          500, InternalServerError,              Retryable
          503, ServiceUnavailable,               Retryable
          503, Shutdown,                         Retryable
          400, IdleTimeout,                      Retryable
          400, BadCollapseId,                    Failed
          400, BadExpirationDate,                Failed
          400, BadMessageId,                     Failed
          400, BadPriority,                      Failed
          400, DuplicateHeaders,                 Failed
          400, InvalidPushType,                  Failed
          400, MissingDeviceToken,               Failed
          400, PayloadEmpty,                     Failed
          404, BadPath,                          Failed
          405, MethodNotAllowed,                 Failed
          413, PayloadTooLarge,                  Failed
          418, SomethingNew,                     Failed
          410, SomethingNew,                     TokenDead
          403, SomethingNew,                     ConfigurationError
          502, SomethingNew,                     Retryable
          """)
  void everyReasonHasItsOutcome(int status, String reason, String outcome) {
    DispatchOutcome result = ApnsOutcomes.rejected(status, reason, null, false, null, NOW);

    assertThat(result.getClass().getSimpleName()).isEqualTo(outcome);
  }

  @Test
  void aDeadTokenCarriesApplesInvalidationTime() {
    Instant invalidated = NOW.minus(Duration.ofDays(2));

    assertThat(ApnsOutcomes.rejected(410, "Unregistered", invalidated, true, null, NOW))
        .isEqualTo(new DispatchOutcome.TokenDead(invalidated, "unregistered"));
    assertThat(ApnsOutcomes.rejected(410, "ExpiredToken", null, true, null, NOW))
        .isEqualTo(new DispatchOutcome.TokenDead(NOW, "expired_token"));
  }

  @Test
  void badDeviceTokenIsDeadOnlyForATokenThisEnvironmentTookBefore() {
    assertThat(ApnsOutcomes.rejected(400, "BadDeviceToken", null, true, null, NOW))
        .isInstanceOf(DispatchOutcome.TokenDead.class);
    assertThat(ApnsOutcomes.rejected(400, "BadDeviceToken", null, false, null, NOW))
        .isEqualTo(new DispatchOutcome.ConfigurationError("bad_device_token"));
  }

  @Test
  void retryAfterIsPassedOn() {
    assertThat(
            ApnsOutcomes.rejected(429, "TooManyRequests", null, true, Duration.ofSeconds(30), NOW))
        .isEqualTo(new DispatchOutcome.Retryable(Duration.ofSeconds(30), "too_many_requests"));
    assertThat(ApnsOutcomes.transportFailure()).isInstanceOf(DispatchOutcome.Retryable.class);
  }

  @ParameterizedTest
  @EnumSource(ApnsOutcomes.Reason.class)
  void everyDocumentedReasonHasAWhyAndAnHttpStatus(ApnsOutcomes.Reason reason) {
    assertThat(reason.why()).isNotBlank();
    assertThat(reason.status()).isBetween(400, 599);
    // A label is bounded: the enum name, never the raw text.
    assertThat(
            ApnsOutcomes.rejected(reason.status(), reason.wireName(), null, false, null, NOW)
                .label())
        .isNotBlank();
  }

  /** What the table implies: one outcome per reason, BadDeviceToken's two, and the transport. */
  @Test
  void theDocumentedOutcomesAreEveryReasonsOutcomeAndTheTransportFailure() {
    assertThat(ApnsOutcomes.documented())
        .hasSize(ApnsOutcomes.Reason.values().length + 2)
        .doesNotHaveDuplicates()
        .contains(
            ApnsOutcomes.transportFailure(),
            new DispatchOutcome.TokenDead(Instant.EPOCH, "bad_device_token"),
            new DispatchOutcome.ConfigurationError("bad_device_token"));
    for (ApnsOutcomes.Reason reason : ApnsOutcomes.Reason.values()) {
      assertThat(ApnsOutcomes.documented())
          .as(reason.wireName())
          .anyMatch(outcome -> outcome.reason().equals(reason.label()));
    }
  }

  /**
   * The warm-up push goes to a token that cannot exist: {@code BadDeviceToken} is the expected
   * answer, credentials trouble is a refusal, what APNs asks us to retry a failure.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      textBlock =
          """
          # status, reason,                      outcome,   logged reason
          200,      ,                            WARMED,    none
          400,      BadDeviceToken,              WARMED,    bad_device_token
          400,      DeviceTokenNotForTopic,      WARMED,    device_token_not_for_topic
          400,      BadTopic,                    REFUSED,   bad_topic
          400,      TopicDisallowed,             REFUSED,   topic_disallowed
          400,      MissingTopic,                REFUSED,   missing_topic
          410,      Unregistered,                WARMED,    unregistered
          403,      InvalidProviderToken,        REFUSED,   invalid_provider_token
          403,      ExpiredProviderToken,        REFUSED,   expired_provider_token
          403,      BadCertificate,              REFUSED,   bad_certificate
          403,      BadCertificateEnvironment,   REFUSED,   bad_certificate_environment
          403,      Forbidden,                   REFUSED,   forbidden
          403,      MissingProviderToken,        REFUSED,   missing_provider_token
          403,      SomethingNew,                REFUSED,   status_403
          403,      UnrelatedKeyIdInToken,       FAILED,    unrelated_key_id_in_token
          429,      TooManyRequests,             FAILED,    too_many_requests
          500,      InternalServerError,         FAILED,    internal_server_error
          503,      Shutdown,                    FAILED,    shutdown
          502,      ,                            FAILED,    status_502
          """)
  void theWarmUpPushsAnswers(int status, String reason, WarmUp.Outcome outcome, String logged) {
    assertThat(ApnsOutcomes.warmUp(status, reason)).isEqualTo(new WarmUp.Result(outcome, logged));
  }
}
