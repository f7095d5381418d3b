package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallbackTokenTests {

  @Test
  void generatedTokensCarry256RandomBitsAndParseBack() {
    CallbackToken token = CallbackToken.generate();

    byte[] decoded = Base64.getUrlDecoder().decode(token.value());
    assertThat(decoded).hasSize(CallbackToken.GENERATED_BYTES);
    assertThat(CallbackToken.parse(token.value())).isEqualTo(token);
  }

  @Test
  void aTokenNamesItsRegistrationFollowedBy256RandomBits() {
    RegistrationId id = RegistrationId.random();
    CallbackToken token = CallbackToken.generateFor(id);
    CallbackToken again = CallbackToken.generateFor(id);

    assertThat(token.value()).hasSize(64);
    assertThat(token.registrationId()).contains(id);
    assertThat(CallbackToken.parse(token.value()).registrationId()).contains(id);
    assertThat(again.registrationId()).contains(id);
    assertThat(again).isNotEqualTo(token);
    byte[] first = Base64.getUrlDecoder().decode(token.value());
    byte[] second = Base64.getUrlDecoder().decode(again.value());
    assertThat(java.util.Arrays.copyOfRange(first, 16, 48))
        .hasSize(CallbackToken.SECRET_BYTES)
        .isNotEqualTo(java.util.Arrays.copyOfRange(second, 16, 48));
  }

  @Test
  void aTokenOfAnotherLengthNamesNoRegistration() {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

    assertThat(CallbackToken.parse(encoder.encodeToString(new byte[32])).registrationId())
        .isEmpty();
    assertThat(CallbackToken.parse(encoder.encodeToString(new byte[47])).registrationId())
        .isEmpty();
    assertThat(CallbackToken.parse(encoder.encodeToString(new byte[49])).registrationId())
        .isEmpty();
    // Any 48 bytes name some id (which then has to exist and hold this very token).
    assertThat(CallbackToken.parse(encoder.encodeToString(new byte[48])).registrationId())
        .contains(new RegistrationId("00000000-0000-0000-0000-000000000000"));
  }

  @Test
  void generatedTokensDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(CallbackToken.generate().value())).isTrue();
    }
  }

  @Test
  void tokensOfExactly128BitsAreAccepted() {
    String token128 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

    assertThat(CallbackToken.parse(token128).value()).hasSize(22);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          AAAAAAAAAAAAAAAAAAAAA        | must be 22 to 86 characters long
          AAAAAAAAAAAAAAAAAAAAAAAAAAA/ | found '/' at position 27
          AAAAAAAAAAAAAAAAAAAAAAAAAAA= | found '='
          AAAAAAAAAAAAAAAAAAAAAAAAA    | not a whole number of base64url bytes
          """)
  void malformedTokensAreRejected(String value, String reason) {
    assertThatThrownBy(() -> CallbackToken.parse(value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("callbackToken: ")
        .hasMessageContaining(reason);
  }

  @Test
  void hostileTokensAreRejected() {
    assertThatThrownBy(() -> CallbackToken.parse(null)).hasMessage("callbackToken: is required");
    assertThatThrownBy(() -> CallbackToken.parse("")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> CallbackToken.parse("A".repeat(1_000_000)))
        .hasMessageContaining("must be 22 to 86 characters long");
    assertThatThrownBy(() -> CallbackToken.parse("A".repeat(30) + "\u0000"))
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> CallbackToken.parse("A".repeat(30) + "\u00fc"))
        .hasMessageContaining("non-ASCII");
    assertThatThrownBy(() -> CallbackToken.parse("A".repeat(30) + "%2F"))
        .hasMessageContaining("found '%'");
  }

  @Test
  void equalityIsByValue() {
    CallbackToken token = CallbackToken.generate();
    CallbackToken other = CallbackToken.generate();

    assertThat(CallbackToken.parse(token.value())).isEqualTo(token).hasSameHashCodeAs(token);
    assertThat(token).isNotEqualTo(other);
    // Same length, differing only in the last character: still unequal.
    String last = token.value().endsWith("A") ? "B" : "A";
    String almost = token.value().substring(0, token.value().length() - 1) + last;
    assertThat(token).isNotEqualTo(CallbackToken.parse(almost));
    assertThat(token).isNotEqualTo(token.value());
  }

  @Test
  void toStringNeverShowsTheToken() {
    CallbackToken token = CallbackToken.generate();

    assertThat(token.toString()).doesNotContain(token.value()).startsWith("CallbackToken[");
    assertThat(token.redacted()).hasSizeLessThan(12);
  }
}
