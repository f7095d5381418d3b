package dev.inboxpush.listener.answer;

/** How one response message of a POST turned out; {@link AnswerRules} combines them. */
enum Verdict {
  OK,
  /** Bound to another subscription (or no registration at all), confirmed by a consistent read. */
  FOREIGN,
  /** The device token is dead and the registration was deleted. */
  DEAD
}
