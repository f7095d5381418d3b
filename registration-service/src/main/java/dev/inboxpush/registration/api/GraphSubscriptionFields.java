package dev.inboxpush.registration.api;

import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.registration.api.JsonBodies.GraphSubscriptionRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Validates the body of {@code PUT /v1/registrations/{id}/graph-subscription} into a {@link
 * GraphSubscription}: the id a GUID (kept in lower case), the expiration an RFC 3339 date-time with
 * an offset (as Graph writes it: {@code 2026-03-04T18:00:00.0000000Z}, or {@code +00:00}), in the
 * future and no further ahead than Graph allows a mail subscription. Every bad field is reported
 * together. Stateless.
 */
final class GraphSubscriptionFields {

  /** Graph's longest lifetime of a mail subscription without resource data: 10,080 minutes. */
  static final Duration GRAPH_MAX_LIFETIME = Duration.ofMinutes(10_080);

  /**
   * How far ahead an expiration may be: Graph's longest plus an hour, for the clocks of the app,
   * Graph and this service not agreeing.
   */
  static final Duration MAX_AHEAD = GRAPH_MAX_LIFETIME.plusHours(1);

  /** Longer than any RFC 3339 date-time worth reading (nanoseconds and an offset are 35). */
  private static final int MAX_LENGTH = 64;

  private static final String EXPIRATION = "expirationDateTime";

  private GraphSubscriptionFields() {}

  /**
   * The subscription the body names, checked against {@code now}.
   *
   * @throws dev.inboxpush.registration.problem.InvalidFieldsException listing every bad field
   */
  static GraphSubscription parse(@Nullable GraphSubscriptionRequest body, Instant now) {
    if (body == null) {
      throw new InvalidValueException("subscriptionId", "is required");
    }
    RequestFields fields = new RequestFields();
    // In lower case, as Graph writes it in every notification (GraphSubscription.id says so).
    SubscriptionId id = fields.parse(() -> GraphSubscription.id(body.subscriptionId()));
    Instant expiresAt = fields.parse(() -> expiration(body.expirationDateTime(), now));
    fields.check();
    return new GraphSubscription(id, expiresAt);
  }

  /** The expiration as an instant, if it is one Graph could have given. */
  static Instant expiration(@Nullable String text, Instant now) {
    if (text == null) {
      throw new InvalidValueException(EXPIRATION, "is required");
    }
    Instant at;
    try {
      if (text.length() > MAX_LENGTH) {
        throw new DateTimeParseException("too long", "", 0);
      }
      at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidValueException(
          EXPIRATION,
          "must be an RFC 3339 date-time with an offset, as Graph returns it "
              + "(e.g. 2026-03-04T18:00:00.0000000Z)");
    }
    if (!at.isAfter(now)) {
      throw new InvalidValueException(
          EXPIRATION, "must be in the future: renew or re-create the Graph subscription first");
    }
    if (at.isAfter(now.plus(MAX_AHEAD))) {
      throw new InvalidValueException(
          EXPIRATION,
          "must be at most "
              + GRAPH_MAX_LIFETIME.toMinutes()
              + " minutes ahead (Graph's longest for a mail subscription)");
    }
    return at;
  }
}
