package dev.inboxpush.autoconfigure.guard;

import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Recognises a request ended by the guard's body timeouts ({@code inboxpush.server.read-timeout}
 * and {@code request-timeout}): the client's fault, answered 408 and logged at DEBUG by each
 * service's error edge, never as a failure of ours. Stateless.
 */
public final class SlowClient {

  /** Reactor Netty keeps its request timeout's class package-private: matched by name. */
  private static final String REQUEST_TIMEOUT = "reactor.netty.http.server.RequestTimeoutException";

  private SlowClient() {}

  /** Whether {@code error}, or anything in its cause chain, is a body timeout. */
  public static boolean timedOut(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ReadTimeoutException || t.getClass().getName().equals(REQUEST_TIMEOUT)) {
        return true;
      }
    }
    return false;
  }
}
