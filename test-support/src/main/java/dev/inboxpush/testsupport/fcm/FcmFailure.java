package dev.inboxpush.testsupport.fcm;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A scripted FCM error answer: the error code (which fixes the HTTP status and body) and an
 * optional {@code Retry-After} header, sent in whole seconds (rounded up).
 *
 * @param code the FCM error to answer with
 * @param retryAfter the {@code Retry-After} to send, or {@code null} for none
 */
public record FcmFailure(FcmErrorCode code, @Nullable Duration retryAfter) {

  public FcmFailure {
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("Retry-After must not be negative: " + retryAfter);
    }
  }

  /** {@code code} without a {@code Retry-After} header. */
  public static FcmFailure of(FcmErrorCode code) {
    return new FcmFailure(code, null);
  }

  /** This failure with a {@code Retry-After} header. */
  public FcmFailure withRetryAfter(Duration retryAfter) {
    return new FcmFailure(code, retryAfter);
  }

  /** The header value: whole seconds, rounded up; {@code null} when there is none. */
  @Nullable String retryAfterHeader() {
    Duration value = retryAfter;
    if (value == null) {
      return null;
    }
    long seconds = value.getSeconds() + (value.getNano() > 0 ? 1 : 0);
    return Long.toString(seconds);
  }
}
