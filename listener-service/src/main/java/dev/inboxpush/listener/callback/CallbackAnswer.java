package dev.inboxpush.listener.callback;

/**
 * What a {@link CallbackProcessor} decided to answer a well-formed POST: one of the two replies EWS
 * knows, or a wait for replication.
 */
public enum CallbackAnswer {
  /** 200 {@code OK}: keep sending. */
  OK,
  /** 200 {@code Unsubscribe}: end the subscription, on evidence that has stood the allowance. */
  UNSUBSCRIBE,
  /**
   * 503 with {@code Retry-After}: the evidence says {@code Unsubscribe}, but a write in another
   * region could still change it (answer.ReplicationAllowance); Exchange retries.
   */
  AWAIT_REPLICATION
}
