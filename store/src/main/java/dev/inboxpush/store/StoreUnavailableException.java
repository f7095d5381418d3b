package dev.inboxpush.store;

/**
 * The store could not be reached, timed out, throttled us or answered with a server error: a
 * transient failure. Nothing is known to have been written (writes are idempotent, so retrying is
 * safe). The listener answers Exchange 503 on it only when even the pending-badge write failed.
 */
public final class StoreUnavailableException extends StoreException {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
