package dev.inboxpush.store;

import java.time.Duration;
import java.util.Objects;

/**
 * One finished call to the table, as the store's client saw it: which operation, how it ended, how
 * many HTTP attempts it took (1 without retries) and how long it took from the first attempt to the
 * outcome, retries and back-off included.
 *
 * @param operation the DynamoDB operation's name as AWS spells it ({@code GetItem}, {@code Query},
 *     {@code UpdateItem}, ...)
 */
public record TableCall(String operation, Outcome outcome, int attempts, Duration took) {

  /**
   * How a call ended, from the SDK's own account of its last attempt: its error type and HTTP
   * status.
   */
  public enum Outcome {
    /** The table answered and the call succeeded. */
    OK,
    /**
     * The table refused the request with a 4xx that is not throttling: most often a condition the
     * call carried did not hold, which the store's optimistic writes expect; otherwise a request
     * the table finds invalid (a schema or code fault).
     */
    CLIENT_ERROR,
    /** The table refused for throughput (throttling), after the client's retries. */
    THROTTLED,
    /** The table answered 5xx, after the client's retries. */
    SERVER_ERROR,
    /** The call's overall time bound ran out. */
    TIMEOUT,
    /**
     * No answer: the connection could not be made or broke, or the last attempt waited out its read
     * timeout.
     */
    IO
  }

  public TableCall {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(took, "took");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
  }

  /**
   * Who hears of every finished call: a service's metrics. Called on the SDK's threads (a Netty
   * event loop, the client's completion executor or its timeout scheduler), once per call; it must
   * be quick, must not block and must not throw.
   */
  @FunctionalInterface
  public interface Listener {

    /** Hears nothing. */
    Listener NONE = call -> {};

    void finished(TableCall call);
  }
}
