package dev.inboxpush.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The stored form of a {@link ClientState}: SHA-256 of the secret, unpadded base64url. A 256-bit
 * random secret needs no salt or slow hash: nothing about it can be guessed from the digest.
 *
 * <p>Thread-safe and immutable.
 *
 * @param value the digest as stored
 */
public record ClientStateHash(String value) {

  /** Longest {@code clientState} Graph accepts on a notification (its changeNotification limit). */
  public static final int MAX_PRESENTED_LENGTH = 255;

  private static final String FIELD = "clientStateHash";
  private static final int DIGEST_CHARS = 43;

  public ClientStateHash {
    Checks.lengthWithin(FIELD, Checks.present(FIELD, value), DIGEST_CHARS, DIGEST_CHARS);
  }

  /** The hash of a secret's text. */
  static ClientStateHash of(String secret) {
    return new ClientStateHash(ClientState.digest(secret));
  }

  /** Reads a stored hash. */
  public static ClientStateHash parse(@Nullable String stored) {
    return new ClientStateHash(Checks.present(FIELD, stored));
  }

  /**
   * Whether a notification's {@code clientState} is the secret: its hash compared in time that does
   * not depend on where the two differ. Absent, empty or longer than Graph allows never matches.
   */
  public boolean matches(@Nullable String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > MAX_PRESENTED_LENGTH) {
      return false;
    }
    return MessageDigest.isEqual(
        ClientState.digest(presented).getBytes(StandardCharsets.US_ASCII),
        value.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "ClientStateHash[" + Redaction.shorten(value) + "]";
  }
}
