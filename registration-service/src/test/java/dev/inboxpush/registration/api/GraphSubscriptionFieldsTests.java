package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.registration.api.JsonBodies.GraphSubscriptionRequest;
import dev.inboxpush.registration.problem.InvalidFieldsException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphSubscriptionFieldsTests {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String GUID = "7f105c7d-2dc5-4530-97cd-4e7ae6534c07";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2026-03-04T18:00:00.0000000Z      | 2026-03-04T18:00:00Z
          2026-03-04T18:00:00Z              | 2026-03-04T18:00:00Z
          2026-03-04T18:00:00+00:00         | 2026-03-04T18:00:00Z
          2026-03-04T20:00:00+02:00         | 2026-03-04T18:00:00Z
          2026-03-04T18:00:00.123456789Z    | 2026-03-04T18:00:00.123456789Z
          2026-03-04t18:00:00z              | 2026-03-04T18:00:00Z
          2026-03-01T12:00:00.0000001Z      | 2026-03-01T12:00:00.000000100Z
          2026-03-08T13:00:00Z              | 2026-03-08T13:00:00Z
          """)
  void expirationsAsGraphWritesThemAreRead(String text, String instant) {
    assertThat(GraphSubscriptionFields.expiration(text, NOW)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          2026-03-05T18:00:00                 | RFC 3339
          2026-03-05                          | RFC 3339
          1772647200                          | RFC 3339
          next week                           | RFC 3339
          2026-03-05T18:00:00.0000000000Z     | RFC 3339
          2026-03-05T18:00:00 +00:00          | RFC 3339
          2026-03-01T12:00:00Z                | in the future
          2026-02-28T12:00:00Z                | in the future
          2026-03-08T13:00:00.000000001Z      | at most 10080 minutes
          2027-03-01T12:00:00Z                | at most 10080 minutes
          """)
  void otherExpirationsAreRefusedSayingWhy(String text, String why) {
    assertThatThrownBy(() -> GraphSubscriptionFields.expiration(text, NOW))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.field()).isEqualTo("expirationDateTime");
              assertThat(e.problem()).contains(why).doesNotContain(text);
            });
  }

  @Test
  void aLongExpirationIsRefusedWithoutBeingParsed() {
    assertThatThrownBy(
            () -> GraphSubscriptionFields.expiration("2026-03-04T18:00:00." + "0".repeat(60), NOW))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void theIdIsKeptInLowerCase() {
    assertThat(
            GraphSubscriptionFields.parse(
                    new GraphSubscriptionRequest(GUID.toUpperCase(), "2026-03-02T12:00:00Z"), NOW)
                .subscriptionId()
                .value())
        .isEqualTo(GUID);
  }

  @Test
  void everyBadFieldIsReportedTogether() {
    assertThatThrownBy(
            () -> GraphSubscriptionFields.parse(new GraphSubscriptionRequest(null, null), NOW))
        .isInstanceOfSatisfying(
            InvalidFieldsException.class,
            e ->
                assertThat(e.problems())
                    .extracting(InvalidValueException::field)
                    .containsExactly("subscriptionId", "expirationDateTime"));
    assertThatThrownBy(
            () ->
                GraphSubscriptionFields.parse(
                    new GraphSubscriptionRequest("{" + GUID + "}", "2026-03-02T12:00:00Z"), NOW))
        .isInstanceOfSatisfying(
            InvalidFieldsException.class,
            e ->
                assertThat(e.problems())
                    .extracting(InvalidValueException::field)
                    .containsExactly("subscriptionId"));
  }
}
