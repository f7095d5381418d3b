package dev.inboxpush.doctor.ews;

/**
 * The outcome of one EWS operation: its value, or why it failed.
 *
 * @param <T> the value of a success
 */
public sealed interface EwsResult<T> {

  record Ok<T>(T value) implements EwsResult<T> {}

  /**
   * A failure.
   *
   * @param problem what kind
   * @param detail one line for the report: the HTTP status, the EWS response code or the
   *     exception's own words, never a credential
   */
  record Failed<T>(EwsProblem problem, String detail) implements EwsResult<T> {}
}
