package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmallTypesTests {

  @Test
  void regionsHaveCodesAndDisplayNames() {
    assertThat(Region.fromCode("region", "us-east-1").displayName()).isEqualTo("Americas");
    assertThat(Region.fromCode("region", "eu-west-1").displayName()).isEqualTo("EMEA");
    assertThat(Region.fromCode("region", "ap-southeast-1").displayName()).isEqualTo("APAC");
    assertThat(Region.values()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "US-EAST-1", "us-west-2", "eu-west-1 ", "eu\u2011west\u20111"})
  void unknownRegionsAreRejected(String code) {
    assertThatThrownBy(() -> Region.fromCode("inboxpush.region", code))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("inboxpush.region: ");
  }

  @ParameterizedTest
  @CsvSource({"apns,APNS", "APNS,APNS", "fcm,FCM", "Fcm,FCM"})
  void platformsParseCaseInsensitively(String text, Platform expected) {
    assertThat(Platform.fromWire("platform", text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "gcm", "apns ", "wns", "\u0000", "fcm\u200b"})
  void unknownPlatformsAreRejected(String text) {
    assertThatThrownBy(() -> Platform.fromWire("platform", text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("platform: ");
  }

  @Test
  void apnsEnvironmentsParse() {
    assertThat(ApnsEnvironment.fromWire("env", "sandbox")).isEqualTo(ApnsEnvironment.SANDBOX);
    assertThat(ApnsEnvironment.fromWire("env", "PRODUCTION")).isEqualTo(ApnsEnvironment.PRODUCTION);
    assertThatThrownBy(() -> ApnsEnvironment.fromWire("env", "development"))
        .hasMessage("env: must be one of sandbox, production");
    assertThatThrownBy(() -> ApnsEnvironment.fromWire("env", null)).hasMessage("env: is required");
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1441, Integer.MAX_VALUE})
  void statusFrequencyOutsideExchangesRangeIsRejected(int minutes) {
    assertThatThrownBy(() -> new StatusFrequency(minutes))
        .hasMessage("statusFrequency: must be 1 to 1440 minutes");
  }

  @Test
  void statusFrequencyDerivesItsIntervals() {
    StatusFrequency thirty = StatusFrequency.EXCHANGE_DEFAULT;

    assertThat(thirty.asDuration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(thirty.lastSeenWriteInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(thirty.staleAfter()).isEqualTo(Duration.ofMinutes(60));
    assertThat(new StatusFrequency(1).lastSeenWriteInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @ValueSource(strings = {"com.example.mail", "com.example.mail.voip", "example-mail-prod", "a"})
  void appIdsAreAccepted(String value) {
    assertThat(AppId.of(value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          com.example/mail     | found '/'
          com example          | found a space
          com.exämple          | found a non-ASCII character
          ${jndi:ldap://x}     | found '$'
          """)
  void hostileAppIdsAreRejected(String value, String reason) {
    assertThatThrownBy(() -> AppId.of(value))
        .hasMessageStartingWith("appId: ")
        .hasMessageContaining(reason);
  }

  @Test
  void hugeOrEmptyAppIdsAreRejected() {
    assertThatThrownBy(() -> AppId.of("a".repeat(156))).hasMessageContaining("1 to 155");
    assertThatThrownBy(() -> AppId.of("")).hasMessage("appId: must not be empty");
    assertThatThrownBy(() -> AppId.of("a\nb")).hasMessageContaining("control character");
  }

  @Test
  void registrationIdsAreCanonicalUuids() {
    RegistrationId id = RegistrationId.random();

    assertThat(RegistrationId.of(id.value())).isEqualTo(id);
    assertThatThrownBy(() -> RegistrationId.of(id.value().toUpperCase()))
        .hasMessageStartingWith("registrationId: ");
    assertThatThrownBy(() -> RegistrationId.of("../../etc/passwd"))
        .hasMessageStartingWith("registrationId: ");
    assertThatThrownBy(() -> RegistrationId.of("x".repeat(100_000)))
        .hasMessageStartingWith("registrationId: ");
    assertThatThrownBy(() -> RegistrationId.of("")).hasMessage("registrationId: must not be empty");
  }

  @Test
  void ownerHashesAreSixtyFourHexDigits() {
    String hex = "ab".repeat(32);

    assertThat(OwnerHash.of(hex.toUpperCase()).value()).isEqualTo(hex);
    assertThat(OwnerHash.of(hex).toString()).doesNotContain(hex);
    assertThatThrownBy(() -> OwnerHash.of("ab")).hasMessage("owner: must be 64 hex digits");
    assertThatThrownBy(() -> OwnerHash.of("zz".repeat(32)))
        .hasMessage("owner: must be lower-case hex");
  }

  @Test
  void pushKindsHaveTheContractsWireNames() {
    assertThat(PushKind.NEW_MAIL.wireName()).isEqualTo("new-mail");
    assertThat(PushKind.UNREAD_CHANGED.wireName()).isEqualTo("unread-changed");
    assertThat(PushKind.WAKE.wireName()).isEqualTo("wake");
    assertThat(PushKind.RESUBSCRIBE.wireName()).isEqualTo("resubscribe");
    assertThat(PushKind.fromWire("resubscribe")).contains(PushKind.RESUBSCRIBE);
    assertThat(PushKind.fromWire("alert")).isEmpty();
  }
}
