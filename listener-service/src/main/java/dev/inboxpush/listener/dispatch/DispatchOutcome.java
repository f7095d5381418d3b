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
   * status_NNN} for an undocumented one, or one of the lanes' own ({@code circuit_open}, {@code
   * queue_full}, {@code timeout}, {@code transport}, {@code shutting_down}, ...).
   */
  String reason();

  /** APNs/FCM took the push. */
  record Accepted() implements DispatchOutcome {
    @Override
    public String label() {
      return "accepted";
    }

    @Override
    public String reason() {
      return "none";
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
    @Override
    public String label() {
      return "configuration_error";
    }
  }

  /** The provider refused this push for good (e.g. an invalid payload): retrying will not help. */
  record Failed(String reason) implements DispatchOutcome {
    @Override
    public String label() {
      return "failed";
    }
  }
}
