package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/**
 * An EWS event watermark: an opaque bookmark in a subscription's event stream. Together with the
 * {@link SubscriptionId} it identifies a notification for de-duplication.
 *
 * @param value the watermark exactly as Exchange sent it
 */
public record Watermark(String value) {

  /** Longest watermark accepted. Real ones are about 40 to 100 characters. */
  public static final int MAX_LENGTH = 1024;

  private static final String FIELD = "watermark";

  public Watermark {
    Checks.visibleAscii(
        FIELD, Checks.lengthWithin(FIELD, Checks.present(FIELD, value), 1, MAX_LENGTH));
  }

  /** Validates and wraps {@code value}. */
  public static Watermark of(@Nullable String value) {
    return new Watermark(Checks.present(FIELD, value));
  }
}
