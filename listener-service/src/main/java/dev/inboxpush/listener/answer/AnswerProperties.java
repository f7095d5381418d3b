package dev.inboxpush.listener.answer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inboxpush.listener.answer.*}.
 *
 * @param pushBudget how long a POST waits for APNs/FCM before the badge goes pending and Exchange
 *     is answered {@code OK} (default 2s; Exchange's own timeout is undocumented, answer fast)
 * @param wakeThrottle at most one wake-up without a count per device in this window (default 30s);
 *     later ones are coalesced into one due when the window ends
 */
@ConfigurationProperties("inboxpush.listener.answer")
public record AnswerProperties(
    @DefaultValue("2s") Duration pushBudget, @DefaultValue("30s") Duration wakeThrottle) {

  public AnswerProperties {
    if (pushBudget.toMillis() < 10 || pushBudget.toSeconds() > 30) {
      throw new IllegalArgumentException(
          "inboxpush.listener.answer.push-budget must be 10ms to 30s");
    }
    if (wakeThrottle.isNegative()) {
      throw new IllegalArgumentException(
          "inboxpush.listener.answer.wake-throttle must not be negative");
    }
  }
}
