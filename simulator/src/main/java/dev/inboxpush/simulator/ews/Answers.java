package dev.inboxpush.simulator.ews;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a listener's answer to a POST means to Exchange: {@code OK} and {@code Unsubscribe} only in
 * a 200 with a {@code SendNotificationResult}; anything else (another status, a SOAP fault, a body
 * without a status) is "no response", which Exchange retries. Stateless.
 */
public final class Answers {

  /** The answer, as Exchange acts on it. */
  public enum Status {
    /** 200 with {@code OK}: keep sending. */
    OK,
    /** 200 with {@code Unsubscribe}: the subscription ends. */
    UNSUBSCRIBE,
    /** Anything else: retried. */
    NOT_ANSWERED
  }

  private static final Pattern STATUS =
      Pattern.compile(
          "<(?:[A-Za-z0-9_]+:)?SubscriptionStatus>\\s*([A-Za-z]+)\\s*</(?:[A-Za-z0-9_]+:)?SubscriptionStatus>");

  private Answers() {}

  public static Status of(int httpStatus, String body) {
    if (httpStatus != 200) {
      return Status.NOT_ANSWERED;
    }
    Matcher matcher = STATUS.matcher(body);
    if (!matcher.find()) {
      return Status.NOT_ANSWERED;
    }
    return switch (matcher.group(1)) {
      case "OK" -> Status.OK;
      case "Unsubscribe" -> Status.UNSUBSCRIBE;
      default -> Status.NOT_ANSWERED;
    };
  }
}
