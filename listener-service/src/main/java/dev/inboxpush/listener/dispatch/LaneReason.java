package dev.inboxpush.listener.dispatch;

/**
 * Our own reasons for a push that was not sent or got no answer from its provider, as opposed to
 * the providers' documented reasons, which stay in the vendor outcome tables ({@code
 * apns/ApnsOutcomes}, {@code fcm/FcmOutcomes}). Each {@link #tag()} is the {@code reason} of a
 * {@link DispatchOutcome} and a metric tag value; this enum is the one place that spells them.
 */
public enum LaneReason {

  /** The provider took the push: the reason of {@link DispatchOutcome.Accepted}. */
  NONE("none"),
  /** The lane's circuit is open after provider trouble: not sent, retry after the open time. */
  CIRCUIT_OPEN("circuit_open"),
  /** The lane's window and queue are full: not sent. */
  QUEUE_FULL("queue_full"),
  /** Sent, and no answer within the send timeout or the caller's push budget. */
  TIMEOUT("timeout"),
  /** The connection failed or closed before an answer. */
  TRANSPORT("transport"),
  /** The listener is stopping: not sent, or not answered before the shutdown deadline. */
  SHUTTING_DOWN("shutting_down"),
  /** Our own code failed to build or send the push (a defect, logged as an error). */
  DISPATCHER_ERROR("dispatcher_error"),
  /** The dispatcher completed without an outcome, breaking its contract (a defect). */
  NO_OUTCOME("no_outcome"),
  /** No configured APNs app or FCM project for the registration's app id and environment. */
  APP_NOT_CONFIGURED("app_not_configured"),
  /** No dispatcher at all for the registration's platform (no APNs or no FCM configuration). */
  PLATFORM_NOT_CONFIGURED("platform_not_configured"),
  /** Dead-token deletions of the app are paused by the safety valve: nothing deleted. */
  DEAD_TOKEN_VALVE("dead_token_valve"),
  /** Google's token endpoint refused the project's service account for good (revoked key). */
  CREDENTIALS_REFUSED("credentials_refused"),
  /** A wake-up inside the device's throttle window: parked until the window ends, not sent. */
  THROTTLED("throttled");

  private final String tag;

  LaneReason(String tag) {
    this.tag = tag;
  }

  /** The value as a metric tag and stored reason: lower case, underscores. */
  public String tag() {
    return tag;
  }
}
