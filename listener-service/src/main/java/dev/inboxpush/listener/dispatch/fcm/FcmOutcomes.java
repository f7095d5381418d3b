package dev.inboxpush.listener.dispatch.fcm;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.WarmUp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The one table that turns an FCM HTTP v1 error into a {@link DispatchOutcome}, with a line of why
 * for every error code Google documents (firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode).
 * Pure: no firebase-admin types (the caller passes {@code MessagingErrorCode.name()}), no I/O;
 * thread-safe.
 *
 * <p>Rules of docs/architecture.md ("Dead tokens and configuration errors"): only {@code
 * UNREGISTERED} is dead; {@code INVALID_ARGUMENT} never deletes (with our fixed, tested payload it
 * is most likely our bug, and one bad build must not wipe registrations); {@code
 * SENDER_ID_MISMATCH} and {@code THIRD_PARTY_AUTH_ERROR} are configuration errors and delete
 * nothing; quota, availability and internal errors and transport failures are retryable.
 * firebase-admin itself already retried a 503 up to four times before the caller sees it; 429 and
 * 500 it does not retry.
 */
public final class FcmOutcomes {

  /** Google: "Use exponential backoff with a minimum initial delay of 1 minute." */
  static final Duration QUOTA_MINIMUM_DELAY = Duration.ofMinutes(1);

  private FcmOutcomes() {}

  /** What an error code means. */
  enum Category {
    DEAD,
    CONFIGURATION,
    RETRYABLE,
    RETRYABLE_AFTER_A_MINUTE,
    FAILED
  }

  /** Every documented error code: the status FCM sends it with, category, and why. */
  enum Code {
    UNREGISTERED(
        404,
        Category.DEAD,
        "the app was uninstalled, or the token expired or was replaced: Google says remove it"),
    INVALID_ARGUMENT(
        400,
        Category.FAILED,
        "a malformed token or message; our payload is fixed, so never delete on it, fix the bug"),
    SENDER_ID_MISMATCH(
        403,
        Category.CONFIGURATION,
        "the token belongs to another Firebase project: our project setting"),
    QUOTA_EXCEEDED(
        429,
        Category.RETRYABLE_AFTER_A_MINUTE,
        "a project, device or topic rate was exceeded: back off, at least a minute"),
    UNAVAILABLE(503, Category.RETRYABLE, "FCM is overloaded: honour Retry-After, back off"),
    INTERNAL(500, Category.RETRYABLE, "FCM's trouble: retry like UNAVAILABLE"),
    THIRD_PARTY_AUTH_ERROR(
        401,
        Category.CONFIGURATION,
        "the APNs certificate or web-push key in the Firebase project is invalid or missing"),
    APNS_AUTH_ERROR(
        401, Category.CONFIGURATION, "the former name of THIRD_PARTY_AUTH_ERROR, same cause");

    private final int status;
    private final Category category;
    private final String why;

    Code(int status, Category category, String why) {
      this.status = status;
      this.category = category;
      this.why = why;
    }

    int status() {
      return status;
    }

    Category category() {
      return category;
    }

    String why() {
      return why;
    }
  }

  private static final Map<String, Code> BY_NAME =
      Stream.of(Code.values())
          .collect(Collectors.toUnmodifiableMap(Code::name, Function.identity()));

  /**
   * The outcome of an FCM error answer.
   *
   * @param errorCode the FCM error code ({@code MessagingErrorCode.name()}), or {@code null} when
   *     the answer carried none (e.g. our OAuth2 token was refused); an unknown code is judged by
   *     {@code status} alone
   * @param status the HTTP status
   * @param retryAfter the {@code Retry-After} FCM sent, if any
   * @param now the current time: when a dead token was found dead
   */
  public static DispatchOutcome rejected(
      @Nullable String errorCode, int status, @Nullable Duration retryAfter, Instant now) {
    Code known = errorCode == null ? null : BY_NAME.get(errorCode);
    String label = known == null ? "status_" + status : known.name().toLowerCase(Locale.ROOT);
    Category category = known == null ? byStatus(status) : known.category();
    return switch (category) {
      case DEAD -> new DispatchOutcome.TokenDead(now, label);
      case CONFIGURATION -> new DispatchOutcome.ConfigurationError(label);
      case RETRYABLE -> new DispatchOutcome.Retryable(retryAfter, label);
      case RETRYABLE_AFTER_A_MINUTE ->
          new DispatchOutcome.Retryable(
              retryAfter == null ? QUOTA_MINIMUM_DELAY : retryAfter, label);
      case FAILED -> new DispatchOutcome.Failed(label);
    };
  }

  /**
   * Whether an outcome means FCM itself is in trouble ({@code UNAVAILABLE}, {@code INTERNAL}, other
   * 5xx, timeouts, lost connections), which the outage circuit breaker counts. {@code
   * QUOTA_EXCEEDED} is not: it may concern one device.
   */
  public static boolean providerTrouble(DispatchOutcome outcome) {
    if (!(outcome instanceof DispatchOutcome.Retryable retryable)) {
      return false;
    }
    String reason = retryable.reason();
    return retryable.hasReason(LaneReason.TRANSPORT)
        || retryable.hasReason(LaneReason.TIMEOUT)
        || reason.equals("unavailable")
        || reason.equals("internal")
        || reason.startsWith("status_5");
  }

  /**
   * The result of the start-up warm-up's dry run (to a token that cannot exist) from FCM's error
   * answer. A documented code FCM is not asking us to retry (about the token, the message or the
   * project; {@code INVALID_ARGUMENT} is the expected one) means FCM took our access token over the
   * open connection: warmed. No documented code with 401 or 403 (our access token or the service
   * account's permission refused): refused. Anything else (a code to retry, 429, 5xx, a 404 without
   * a code: wrong project or URL): failed.
   *
   * @param errorCode the FCM error code ({@code MessagingErrorCode.name()}), or {@code null}
   * @param status the HTTP status
   */
  public static WarmUp.Result warmUp(@Nullable String errorCode, int status) {
    Code known = errorCode == null ? null : BY_NAME.get(errorCode);
    if (known != null) {
      String label = known.name().toLowerCase(Locale.ROOT);
      boolean retry =
          known.category() == Category.RETRYABLE
              || known.category() == Category.RETRYABLE_AFTER_A_MINUTE;
      return new WarmUp.Result(retry ? WarmUp.Outcome.FAILED : WarmUp.Outcome.WARMED, label);
    }
    String label = "status_" + status;
    if (status == 401 || status == 403) {
      return new WarmUp.Result(WarmUp.Outcome.REFUSED, label);
    }
    return new WarmUp.Result(WarmUp.Outcome.FAILED, label);
  }

  /** A push that got no answer: the connection failed, timed out or closed. Always retryable. */
  public static DispatchOutcome transportFailure() {
    return new DispatchOutcome.Retryable(null, LaneReason.TRANSPORT);
  }

  /**
   * Every outcome, by its tags, that this table gives: one per documented error code and the
   * transport failure; an undocumented code's {@code status_NNN} is not among them. For counters
   * that exist before their first push.
   */
  public static List<DispatchOutcome> documented() {
    return DOCUMENTED;
  }

  private static final List<DispatchOutcome> DOCUMENTED = enumerate();

  private static List<DispatchOutcome> enumerate() {
    Set<DispatchOutcome> outcomes = new LinkedHashSet<>();
    for (Code code : Code.values()) {
      outcomes.add(rejected(code.name(), code.status(), null, Instant.EPOCH));
    }
    outcomes.add(transportFailure());
    return List.copyOf(outcomes);
  }

  /**
   * An undocumented code, by its status alone. A 404 without UNREGISTERED is not proof of a dead
   * token (a wrong project or URL answers 404 too), so it deletes nothing.
   */
  private static Category byStatus(int status) {
    if (status == 401 || status == 403) {
      return Category.CONFIGURATION;
    }
    if (status == 429 || status >= 500) {
      return Category.RETRYABLE;
    }
    return Category.FAILED;
  }
}
