package dev.inboxpush.store;

/**
 * The store refused a request for a reason retrying will not fix: the table or an index is missing,
 * access is denied, a request is invalid. An operator must act (it is logged and counted); callers
 * still must not treat it as "not found". {@link StoreUnavailableException} is the transient kind.
 */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
