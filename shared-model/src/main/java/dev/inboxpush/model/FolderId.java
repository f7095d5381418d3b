package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/**
 * The EWS {@code FolderId/@Id} of a mailbox folder (for us: the Inbox). Opaque base64 text;
 * compared exactly, as Exchange sends the same folder under the same id.
 *
 * @param value the id exactly as Exchange gave it
 */
public record FolderId(String value) {

  /** Longest id accepted. Real ones are about 120 to 200 characters. */
  public static final int MAX_LENGTH = 1024;

  private static final String FIELD = "inboxFolderId";

  public FolderId {
    Checks.visibleAscii(
        FIELD, Checks.lengthWithin(FIELD, Checks.present(FIELD, value), 1, MAX_LENGTH));
  }

  /** Validates and wraps {@code value}. */
  public static FolderId of(@Nullable String value) {
    return new FolderId(Checks.present(FIELD, value));
  }
}
