package dev.inboxpush.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A Graph registration's {@code clientState} secret: the app puts it in its Graph subscription, and
 * Graph echoes it in every notification, so that a notification proves it comes from that
 * subscription. {@value #GENERATED_BYTES} bytes (random from {@link SecureRandom}, or derived by
 * the registration API, see {@link #of}), unpadded base64url: 43 characters, inside Graph's
 * 128-character limit; handed to the app once, and never stored: the store keeps only its {@link
 * #hash()}.
 *
 * <p>Thread-safe and immutable; {@link #toString()} never shows the secret.
 */
public final class ClientState {

  /** Random bytes in a generated secret (256 bits; the issue asks for at least 128). */
  public static final int GENERATED_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final String value;

  private ClientState(String value) {
    this.value = value;
  }

  /** A new random secret. Thread-safe. */
  public static ClientState generate() {
    byte[] bytes = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(bytes);
    return new ClientState(ENCODER.encodeToString(bytes));
  }

  /**
   * The secret made of {@value #GENERATED_BYTES} bytes the caller derived under a key every region
   * holds (so that two regions registering the same device hand out the same secret).
   *
   * @throws IllegalArgumentException when {@code secret} is not {@value #GENERATED_BYTES} bytes
   */
  public static ClientState of(byte[] secret) {
    if (secret.length != GENERATED_BYTES) {
      throw new IllegalArgumentException("a clientState secret is " + GENERATED_BYTES + " bytes");
    }
    return new ClientState(ENCODER.encodeToString(secret));
  }

  /** The secret, for the app's Graph subscription. Never log or store it. */
  public String value() {
    return value;
  }

  /** What the store keeps: enough to verify a presented secret, not to recover it. */
  public ClientStateHash hash() {
    return ClientStateHash.of(value);
  }

  @Override
  public String toString() {
    return "ClientState[" + Redaction.shorten(value) + "]";
  }

  /** SHA-256 of the UTF-8 text, unpadded base64url. */
  static String digest(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
