package dev.inboxpush.listener.answer;

/** How one response message of a POST turned out; {@link AnswerRules} combines them. */
enum Verdict {
  OK,
  /**
   * Bound to another subscription (or no registration at all), confirmed by a consistent read on
   * evidence that has stood the replication allowance.
   */
  FOREIGN,
  /** The same, on evidence younger than the allowance: replication could still change it. */
  NOT_YET_SETTLED,
  /** The device token is dead and the registration was deleted. */
  DEAD
}
