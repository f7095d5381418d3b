package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistrationTests {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final DeviceToken APNS = DeviceToken.of(Platform.APNS, "0f".repeat(32));
  private static final DeviceToken FCM = DeviceToken.of(Platform.FCM, "fcm-token-0123456789");

  private static Registration registration(
      DeviceToken token, ApnsEnvironment environment, Instant expiresAt) {
    return new Registration(
        RegistrationId.random(),
        OwnerHash.of("cd".repeat(32)),
        AppId.of("com.example.mail"),
        environment,
        token,
        CallbackToken.generate(),
        Region.EU_WEST_1,
        RegistrationKind.EWS,
        null,
        null,
        null,
        null,
        NOW,
        NOW,
        NOW,
        expiresAt);
  }

  @Test
  void apnsRegistrationsNeedAnEnvironmentAndFcmOnesMustNotHaveOne() {
    Instant later = NOW.plus(Duration.ofDays(30));

    assertThat(registration(APNS, ApnsEnvironment.SANDBOX, later).platform())
        .isEqualTo(Platform.APNS);
    assertThat(registration(FCM, null, later).platform()).isEqualTo(Platform.FCM);
    assertThatThrownBy(() -> registration(APNS, null, later))
        .hasMessage("apnsEnvironment: is required for an APNs device token");
    assertThatThrownBy(() -> registration(FCM, ApnsEnvironment.PRODUCTION, later))
        .hasMessage("apnsEnvironment: applies only to APNs device tokens");
  }

  @Test
  void expiryMustFollowCreation() {
    assertThatThrownBy(() -> registration(FCM, null, NOW))
        .hasMessage("expiresAt: must be after createdAt");
  }

  @Test
  void expiryIsInclusiveOfItsInstant() {
    Registration registration = registration(FCM, null, NOW.plusSeconds(60));

    assertThat(registration.isExpiredAt(NOW.plusSeconds(59))).isFalse();
    assertThat(registration.isExpiredAt(NOW.plusSeconds(60))).isTrue();
    assertThat(registration.subscription()).isEmpty();
  }

  @Test
  void bindingRequiresAllThreeParts() {
    assertThatThrownBy(
            () ->
                new SubscriptionBinding(
                    null, FolderId.of("AQMk"), StatusFrequency.EXCHANGE_DEFAULT))
        .hasMessage("subscriptionId: is required");
    assertThatThrownBy(
            () ->
                SubscriptionBinding.of(
                    SubscriptionId.of("abc"), null, StatusFrequency.EXCHANGE_DEFAULT))
        .hasMessage("inboxFolderId: is required");
    assertThat(
            SubscriptionBinding.compatibility(
                    SubscriptionId.of("abc"), StatusFrequency.EXCHANGE_DEFAULT)
                .inboxFolderId())
        .isNull();
  }
}
