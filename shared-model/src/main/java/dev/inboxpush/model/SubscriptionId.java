package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/**
 * The id Exchange gave an EWS push subscription. Opaque: GUIDs in Exchange 2007 documentation, long
 * base64 strings from every real server since 2010. Knowing one must not let anyone push to a
 * device, so it is never used alone to authorize (see {@link CallbackToken}).
 *
 * <p>{@link #toString()} is shortened: SubscriptionIds must not reach logs whole.
 *
 * @param value the id exactly as Exchange sent it
 */
public record SubscriptionId(String value) {

  /** Longest id accepted. Real ones are about 60 to 200 characters. */
  public static final int MAX_LENGTH = 1024;

  private static final String FIELD = "subscriptionId";

  public SubscriptionId {
    Checks.visibleAscii(
        FIELD, Checks.lengthWithin(FIELD, Checks.present(FIELD, value), 1, MAX_LENGTH));
  }

  /** Validates and wraps {@code value}. */
  public static SubscriptionId of(@Nullable String value) {
    return new SubscriptionId(Checks.present(FIELD, value));
  }

  @Override
  public String toString() {
    return "SubscriptionId[" + Redaction.shorten(value) + "]";
  }
}
