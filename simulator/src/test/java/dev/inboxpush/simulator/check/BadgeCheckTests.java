package dev.inboxpush.simulator.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BadgeCheckTests {

  private static final String IOS = "a".repeat(64);
  private static final String ANDROID = "sim-fcm-0123456789abcdef";

  private final List<ReceivedPush> pushes = new ArrayList<>();

  @Test
  void everyDeviceShowingItsLastExpectedBadgePasses() {
    received("apns", IOS, 3, 4, 5);
    received("fcm", ANDROID, 1);
    wake("fcm", ANDROID);

    BadgeCheck.Result check =
        BadgeCheck.check(List.of(device("apns", IOS, 3, 4, 5), device("fcm", ANDROID, 1)), pushes);

    assertThat(check.passed()).isTrue();
    assertThat(check.devices()).isEqualTo(2);
    assertThat(check.correct()).isEqualTo(2);
    assertThat(check.pushes()).isEqualTo(5);
    assertThat(check.badges()).isEqualTo(4);
    assertThat(check.wakes()).isEqualTo(1);
    assertThat(check.duplicated() + check.unexpected() + check.superseded()).isZero();
    assertThat(check.problems()).isEmpty();
  }

  @Test
  void aLastBadgeThatNeverArrivedIsLost() {
    received("apns", IOS, 3, 4);

    BadgeCheck.Result check = BadgeCheck.check(List.of(device("apns", IOS, 3, 4, 5)), pushes);

    assertThat(check.passed()).isFalse();
    assertThat(check.lost()).isEqualTo(1);
    assertThat(check.wrong()).isZero();
    assertThat(check.problems())
        .singleElement()
        .asString()
        .startsWith("lost: apns aaaaaa…(64) expected 5, shows 4")
        .doesNotContain(IOS);
  }

  @Test
  void aDeviceThatGotNothingLostItsBadge() {
    BadgeCheck.Result check = BadgeCheck.check(List.of(device("fcm", ANDROID, 2)), pushes);

    assertThat(check.lost()).isEqualTo(1);
    assertThat(check.problems()).singleElement().asString().contains("shows no badge");
  }

  @Test
  void aStalePushAfterTheLastBadgeMakesItWrong() {
    received("apns", IOS, 3, 5, 4);

    BadgeCheck.Result check = BadgeCheck.check(List.of(device("apns", IOS, 3, 4, 5)), pushes);

    assertThat(check.wrong()).isEqualTo(1);
    assertThat(check.lost()).isZero();
    assertThat(check.passed()).isFalse();
  }

  @Test
  void pushesCountInArrivalOrderWhateverTheOrderTheyWereReadIn() {
    pushes.add(push(2, "apns", IOS, 5));
    pushes.add(push(1, "apns", IOS, 4));

    assertThat(BadgeCheck.check(List.of(device("apns", IOS, 4, 5)), pushes).passed()).isTrue();
  }

  @Test
  void duplicatesUnexpectedValuesAndSupersededBadgesAreCounted() {
    // 3 twice (a retry that pushed again), 9 that nobody asked for, 4 never came (superseded).
    received("apns", IOS, 3, 3, 9, 5);

    BadgeCheck.Result check = BadgeCheck.check(List.of(device("apns", IOS, 3, 4, 5)), pushes);

    assertThat(check.correct()).isEqualTo(1);
    assertThat(check.duplicated()).isEqualTo(1);
    assertThat(check.unexpected()).isEqualTo(1);
    assertThat(check.superseded()).isEqualTo(1);
    assertThat(check.passed()).isTrue();
  }

  @Test
  void rejectedPushesAndWakeUpsSetNoBadge() {
    received("apns", IOS, 3);
    pushes.add(new ReceivedPush(pushes.size() + 1, "apns", IOS, 4, "new-mail", false));
    wake("apns", IOS);

    BadgeCheck.Result check = BadgeCheck.check(List.of(device("apns", IOS, 3, 4)), pushes);

    assertThat(check.lost()).isEqualTo(1);
    assertThat(check.rejected()).isEqualTo(1);
    assertThat(check.wakes()).isEqualTo(1);
  }

  @Test
  void excludedDevicesAndUnknownTokensAreNotChecked() {
    received("apns", "b".repeat(64), 7);
    received("fcm", "inboxpush-warm-up", 1);

    BadgeCheck.Result check =
        BadgeCheck.check(
            List.of(new DeviceExpectation("apns", "b".repeat(64), List.of(1), "its token died")),
            pushes);

    assertThat(check.passed()).isTrue();
    assertThat(check.excluded()).isEqualTo(1);
    assertThat(check.devices()).isZero();
    assertThat(check.pushes()).isEqualTo(1);
  }

  @Test
  void aDeviceExpectingOnlyWakeUpsIsCountedApartAndABadgeThereIsUnexpected() {
    received("fcm", ANDROID, 2);

    BadgeCheck.Result check = BadgeCheck.check(List.of(device("fcm", ANDROID)), pushes);

    assertThat(check.wakeOnly()).isEqualTo(1);
    assertThat(check.devices()).isZero();
    assertThat(check.unexpected()).isEqualTo(1);
  }

  @Test
  void forAccountsThatPostedAtOnceOnlyTheLastBadgeCounts() {
    // Sums taken between two accounts' writes (4, 6) are not known in advance: not unexpected.
    received("apns", IOS, 4, 6, 7);
    received("fcm", ANDROID, 7, 6);

    BadgeCheck.Result check =
        BadgeCheck.check(
            List.of(
                new DeviceExpectation("apns", IOS, List.of(3, 7), null, true),
                new DeviceExpectation("fcm", ANDROID, List.of(3, 7), null, true)),
            pushes);

    assertThat(check.correct()).isEqualTo(1);
    assertThat(check.wrong()).isEqualTo(1);
    assertThat(check.unexpected() + check.duplicated() + check.superseded()).isZero();
  }

  @Test
  void theSamePlatformAndTokenMustMatch() {
    received("fcm", IOS, 3);

    assertThat(BadgeCheck.check(List.of(device("apns", IOS, 3)), pushes).lost()).isEqualTo(1);
  }

  private static DeviceExpectation device(String platform, String token, Integer... badges) {
    return new DeviceExpectation(platform, token, List.of(badges), null);
  }

  private void received(String platform, String token, int... badges) {
    for (int badge : badges) {
      pushes.add(push(pushes.size() + 1, platform, token, badge));
    }
  }

  private void wake(String platform, String token) {
    pushes.add(push(pushes.size() + 1, platform, token, null));
  }

  private static ReceivedPush push(
      long sequence, String platform, String token, @Nullable Integer badge) {
    return new ReceivedPush(sequence, platform, token, badge, "new-mail", true);
  }
}
