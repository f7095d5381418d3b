package dev.inboxpush.store;

/**
 * The table is missing or its key schema or indexes differ from what this version needs. Thrown at
 * start-up, so that a service never runs against the wrong table; the message names every
 * difference and the fix.
 */
public final class StoreSchemaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreSchemaException(String message) {
    super(message);
  }
}
