package dev.inboxpush.simulator.check;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one device must have received, by the badge rules, from the POSTs answered {@code OK}.
 *
 * @param platform {@code apns} or {@code fcm}
 * @param token the device token
 * @param badges the badge each POST with an Inbox count should have pushed, in the order they were
 *     answered: the sum of the device's accounts' last counts at that moment; the last is the badge
 *     the device must show
 * @param excluded why the device's badge cannot be checked (its token was made dead, a subscription
 *     was dropped or unsubscribed, so the count Exchange delivered is unknown), or null
 * @param lastOnly whether only the last badge is known: the device's accounts posted at the same
 *     time, so an earlier push may carry a sum taken between two accounts' writes; only what it
 *     finally shows is checked
 */
public record DeviceExpectation(
    String platform,
    String token,
    List<Integer> badges,
    @Nullable String excluded,
    boolean lastOnly) {

  public DeviceExpectation {
    badges = List.copyOf(badges);
  }

  /** A device whose every expected push is known (one POST at a time over its accounts). */
  public DeviceExpectation(
      String platform, String token, List<Integer> badges, @Nullable String excluded) {
    this(platform, token, badges, excluded, false);
  }

  /** The key that pushes are matched on. */
  public String key() {
    return platform + " " + token;
  }
}
