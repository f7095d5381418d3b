package dev.inboxpush.listener.dispatch;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What happened to a push. Outcomes are values, never exceptions: a dead token is data. {@link
 * #label()} is a bounded metric tag and the {@code lastPushOutcome} stored per registration.
 */
public sealed interface DispatchOutcome {

  /** A bounded label: {@code accepted}, {@code token_dead}, {@code retryable}, ... */
  String label();

  /**
   * Why, as a bounded metric tag: the provider's documented reason in lower case, {@code
   * status_NNN} for an undocumented one, or one of our own, a {@link LaneReason#tag()}.
   */
  String reason();

  /** Whether this outcome's reason is our own {@code reason}. */
  default boolean hasReason(LaneReason reason) {
    return reason().equals(reason.tag());
  }

  /** APNs/FCM took the push. */
  record Accepted() implements DispatchOutcome {
    @Override
    public String label() {
      return "accepted";
    }

    @Override
    public String reason() {
      return LaneReason.NONE.tag();
    }
  }

  /**
   * The device token is dead (APNs 410, FCM UNREGISTERED). Registrations of the token registered
   * after {@code invalidatedAt} survive.
   */
  record TokenDead(Instant invalidatedAt, String reason) implements DispatchOutcome {
    @Override
    public String label() {
      return "token_dead";
    }
  }

  /**
   * Try again later (throttled, provider down, timeout), not before {@code retryAfter} if given.
   */
  record Retryable(@Nullable Duration retryAfter, String reason) implements DispatchOutcome {

    /** Not sent or not answered for a reason of our own. */
    public Retryable(@Nullable Duration retryAfter, LaneReason reason) {
      this(retryAfter, reason.tag());
    }

    @Override
    public String label() {
      return "retryable";
    }
  }

  /**
   * Our credentials or settings are wrong (bad key, wrong topic or project, no dispatcher for the
   * platform): delete nothing, raise an alert, keep the badge pending until it is fixed.
   */
  record ConfigurationError(String reason) implements DispatchOutcome {

    /** A configuration error we detect ourselves. */
    public ConfigurationError(LaneReason reason) {
      this(reason.tag());
    }

    @Override
    public String label() {
      return "configuration_error";
    }
  }

  /** The provider refused this push for good (e.g. an invalid payload): retrying will not help. */
  record Failed(String reason) implements DispatchOutcome {

    /** A permanent failure of our own (a defect). */
    public Failed(LaneReason reason) {
      this(reason.tag());
    }

    @Override
    public String label() {
      return "failed";
    }
  }
}
