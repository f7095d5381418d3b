package dev.inboxpush.listener.callback;

import dev.inboxpush.autoconfigure.guard.SlowClient;
import dev.inboxpush.store.StoreException;
import dev.inboxpush.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.netty.channel.AbortedException;

/**
 * What both endpoints share about a request that went wrong after its guards: which kind of failure
 * it was (the sender gone, the store unreachable, the store refusing, a defect), logged once at the
 * level its kind deserves; and reading a joined body into bytes. Each endpoint answers the kind in
 * its own protocol (a SOAP fault, a plain-text 503). Stateless.
 */
final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /** A failure's kind, as the endpoints count and answer it. */
  enum Kind {
    /** The sender closed the connection: nobody to answer, nothing of ours failed. */
    ABORTED,
    /**
     * The sender sent its body too slowly ({@code inboxpush.server.read-timeout} or {@code
     * request-timeout}): 408, its fault, not ours.
     */
    TOO_SLOW,
    /** The table is unreachable: 503, the sender retries. */
    STORE_UNAVAILABLE,
    /** The table refuses requests (missing table, denied access): 503, and an operator's error. */
    STORE_ERROR,
    /** Anything unforeseen, a defect: 503, logged with its stack. */
    INTERNAL_ERROR
  }

  /** Classifies {@code error} and logs it for {@code endpoint} ({@code EWS}, {@code Graph}). */
  static Kind classify(Throwable error, String endpoint) {
    if (AbortedException.isConnectionReset(error) || error instanceof AbortedException) {
      log.debug("the {} sender closed the connection: {}", endpoint, error.toString());
      return Kind.ABORTED;
    }
    if (SlowClient.timedOut(error)) {
      log.debug("the {} sender's body came too slowly: {}", endpoint, error.toString());
      return Kind.TOO_SLOW;
    }
    if (error instanceof StoreUnavailableException) {
      log.warn("answering {} 503: the store is unavailable ({})", endpoint, error.getMessage());
      return Kind.STORE_UNAVAILABLE;
    }
    if (error instanceof StoreException) {
      log.error(
          "answering {} 503: the store refused the request ({})", endpoint, error.getMessage());
      return Kind.STORE_ERROR;
    }
    log.error("answering {} 503: unexpected failure", endpoint, error);
    return Kind.INTERNAL_ERROR;
  }

  /** The buffer's bytes; the buffer is released. */
  static byte[] bytes(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }
}
