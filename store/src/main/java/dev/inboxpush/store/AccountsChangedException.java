package dev.inboxpush.store;

/**
 * A write made {@link ListenerStateUpdate#onlyIfNotSharedSince only if no other account's sum read
 * it} found that a listener has since summed another account of the device: nothing was written.
 * Not a store failure; the caller sums the device's accounts and pushes again.
 */
public final class AccountsChangedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AccountsChangedException(String message) {
    super(message, null, false, false);
  }
}
