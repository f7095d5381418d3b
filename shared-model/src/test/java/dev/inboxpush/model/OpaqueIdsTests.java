package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SubscriptionId, FolderId and Watermark: opaque visible-ASCII text of bounded length. */
class OpaqueIdsTests {

  private static final String REAL_SUBSCRIPTION_ID =
      "KQBleGNoMDEuY29udG9zby5leGFtcGxlEAAAAJ1c7Hq0bVRNp4sGm2dWcA4=";

  static Stream<Arguments> types() {
    return Stream.of(
        Arguments.of(
            "subscriptionId", (Function<String, String>) t -> SubscriptionId.of(t).value()),
        Arguments.of("inboxFolderId", (Function<String, String>) t -> FolderId.of(t).value()),
        Arguments.of("watermark", (Function<String, String>) t -> Watermark.of(t).value()));
  }

  static Stream<Arguments> hostile() {
    return types()
        .flatMap(
            type ->
                Stream.of(
                        new String[] {"", "must not be empty"},
                        new String[] {"x".repeat(1025), "must be 1 to 1024 characters long"},
                        new String[] {"x".repeat(5_000_000), "was 1025+"},
                        new String[] {"abc def", "found a space at position 3"},
                        new String[] {"abc\tdef", "found a control character at position 3"},
                        new String[] {"abc\u0000", "found a control character"},
                        new String[] {"abc\u007f", "found a control character"},
                        new String[] {
                          "Gr\u00fc\u00dfe", "found a non-ASCII character at position 2"
                        },
                        new String[] {"\ud83d\udce7", "found a non-ASCII character at position 0"})
                    .map(c -> Arguments.of(type.get()[0], type.get()[1], c[0], c[1])));
  }

  @ParameterizedTest(name = "{0} accepts real ids")
  @MethodSource("types")
  void realIdsAreAccepted(String field, Function<String, String> factory) {
    assertThat(factory.apply(REAL_SUBSCRIPTION_ID)).isEqualTo(REAL_SUBSCRIPTION_ID);
    assertThat(factory.apply("x".repeat(1024))).isEqualTo("x".repeat(1024));
  }

  @ParameterizedTest(name = "{0} rejects {3}")
  @MethodSource("hostile")
  void hostileValuesAreRejected(
      String field, Function<String, String> factory, String value, String reason) {
    assertThatThrownBy(() -> factory.apply(value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith(field + ": ")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{0} requires a value")
  @MethodSource("types")
  void nullIsRejected(String field, Function<String, String> factory) {
    assertThatThrownBy(() -> factory.apply(null)).hasMessage(field + ": is required");
  }

  @org.junit.jupiter.api.Test
  void subscriptionIdIsShortenedInToString() {
    assertThat(SubscriptionId.of(REAL_SUBSCRIPTION_ID).toString())
        .doesNotContain(REAL_SUBSCRIPTION_ID.substring(4, 20))
        .contains("(60)");
  }
}
