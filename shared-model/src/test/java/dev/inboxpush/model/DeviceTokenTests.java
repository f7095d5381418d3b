package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTokenTests {

  private static final String APNS_64 = "a1b2c3d4".repeat(8);

  @Test
  void apnsTokenIsNormalizedToLowerCase() {
    DeviceToken token = DeviceToken.of(Platform.APNS, APNS_64.toUpperCase());

    assertThat(token.value()).isEqualTo(APNS_64);
    assertThat(token).isEqualTo(DeviceToken.of(Platform.APNS, APNS_64));
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 64, 128, 200, 400})
  void apnsTokensOfAnyEvenLengthWithinBoundsAreAccepted(int length) {
    String hex = "0f".repeat(length / 2);

    assertThat(DeviceToken.of(Platform.APNS, hex).value()).hasSize(length);
  }

  static Stream<Arguments> hostileApnsTokens() {
    return Stream.of(
        Arguments.of("", "must not be empty"),
        Arguments.of("0f".repeat(7), "must be 16 to 400 characters long"),
        Arguments.of("0f".repeat(201), "must be 16 to 400 characters long, was 401+"),
        Arguments.of("0f".repeat(1_000_000), "must be 16 to 400 characters long"),
        Arguments.of("a".repeat(63), "even number of hex digits"),
        Arguments.of("a".repeat(15), "must be 16 to 400 characters long"),
        Arguments.of("a".repeat(65), "even number of hex digits"),
        Arguments.of("g" + "a".repeat(63), "found 'g' at position 0"),
        Arguments.of("a".repeat(63) + "\u00e9", "found a non-ASCII character at position 63"),
        Arguments.of(
            "a".repeat(32) + "\n" + "a".repeat(31), "found a control character at position 32"),
        Arguments.of("a".repeat(32) + "\u0000" + "a".repeat(31), "found a control character"),
        Arguments.of("a".repeat(32) + " " + "a".repeat(31), "found a space"),
        Arguments.of("<" + "a".repeat(63), "found '<'"),
        Arguments.of("\uff10".repeat(64), "found a non-ASCII character"));
  }

  @ParameterizedTest
  @MethodSource("hostileApnsTokens")
  void hostileApnsTokensAreRejectedWithAReason(String value, String reason) {
    assertThatThrownBy(() -> DeviceToken.of(Platform.APNS, value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("deviceToken: ")
        .hasMessageContaining(reason)
        .extracting(e -> ((InvalidValueException) e).field())
        .isEqualTo("deviceToken");
  }

  @Test
  void rejectedValueIsNeverEchoed() {
    String secretLooking = "SECRET" + "a".repeat(60);

    assertThatThrownBy(() -> DeviceToken.of(Platform.APNS, secretLooking))
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void missingTokenOrPlatformIsRejected() {
    assertThatThrownBy(() -> DeviceToken.of(Platform.FCM, null))
        .hasMessage("deviceToken: is required");
    assertThatThrownBy(() -> new DeviceToken(null, APNS_64)).hasMessage("platform: is required");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dXNlcjE6QVBBOTFiRzVmX2xvbmdfdG9rZW4",
        "cK9x3Zb1Q0e-Ab_cd:APA91bH2kNq4s-8yW0rVwJk3mT_xLpZ9fGhU1oEiRcSdBaNnMvYtXqP",
      })
  void fcmTokensOfUrlSafeTextAreAccepted(String value) {
    assertThat(DeviceToken.of(Platform.FCM, value).value()).isEqualTo(value);
  }

  @Test
  void fcmTokensUpToTheBoundAreAccepted() {
    assertThat(DeviceToken.of(Platform.FCM, "a".repeat(DeviceToken.FCM_MAX_LENGTH)).value())
        .hasSize(4096);
  }

  static Stream<Arguments> hostileFcmTokens() {
    return Stream.of(
        Arguments.of("", "must not be empty"),
        Arguments.of("short", "must be 16 to 4096 characters long"),
        Arguments.of("x".repeat(4097), "must be 16 to 4096 characters long"),
        Arguments.of("x".repeat(10_000_000), "was 4097+"),
        Arguments.of("abcdefghijklmnop/q", "found '/' at position 16"),
        Arguments.of("abcdefghijklmnop+q", "found '+'"),
        Arguments.of("abcdefghijklmnop=", "found '='"),
        Arguments.of("abcdefghijklmnop\r\nX-Injected: 1", "found a control character"),
        Arguments.of("abcdefghijklmnop\u202e", "found a non-ASCII character"),
        Arguments.of("abcdefghijklmnop\"}", "found '\"'"));
  }

  @ParameterizedTest
  @MethodSource("hostileFcmTokens")
  void hostileFcmTokensAreRejectedWithAReason(String value, String reason) {
    assertThatThrownBy(() -> DeviceToken.of(Platform.FCM, value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void toStringShowsNoMoreThanAShortPrefix() {
    DeviceToken token = DeviceToken.of(Platform.APNS, APNS_64);

    assertThat(token.toString()).isEqualTo("apns:a1b2c3…(64)").doesNotContain(APNS_64.substring(6));
  }
}
