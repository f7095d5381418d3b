package dev.inboxpush.listener.delivery;

/** How a delivery ended, for the caller's answer; what it stored and counted is already done. */
public enum Delivery {
  /** The provider took the push; an older parked badge it supersedes is cleared. */
  ACCEPTED,
  /** Not accepted (in time): the badge is parked for the redelivery worker. */
  PARKED,
  /** Refused for good (an invalid payload): not parked; a redelivered badge is dropped. */
  REFUSED,
  /** The token is dead and the registration deleted: Exchange should hear {@code Unsubscribe}. */
  UNREGISTERED,
  /** The token was reported dead, but the registration was renewed after that report: kept. */
  SPARED,
  /**
   * The token was reported dead, but not yet for the replication allowance (it may have been
   * rotated in another region): nothing deleted, nothing written; a POST is answered 503.
   */
  DEAD_NOT_YET_SETTLED
}
