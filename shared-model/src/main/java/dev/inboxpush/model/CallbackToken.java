package dev.inboxpush.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The secret in a registration's callback URL ({@code {listener}/ews/v1/{token}}). Only Exchange,
 * told the URL by the app, can post to it; a SubscriptionId alone is not enough.
 *
 * <p>The format: unpadded base64url of {@value #GENERATED_BYTES} bytes, the registration's id (its
 * UUID's 16 bytes, not secret: it travels in pushes) followed by a {@value #SECRET_BYTES}-byte
 * secret (256 bits: from {@link SecureRandom}, or derived under the registration API's key, see
 * {@link #of}), 64 characters in all. Naming its registration lets the listener read the
 * registration and its state in one call, with no pointer to look up; the whole token is then
 * compared with the stored one in constant time. Parsed tokens must carry at least {@value
 * #MIN_BYTES} bytes (128 bits); one of another length is well formed but names no registration
 * ({@link #registrationId()} is empty), so it can never match one. {@link #equals(Object)} runs in
 * time independent of where the tokens differ, and {@link #toString()} never shows the token.
 *
 * <p>Thread-safe and immutable.
 */
public final class CallbackToken {

  /** Bytes in a generated token: the registration id's 16, then the secret. */
  public static final int GENERATED_BYTES = 48;

  /** Random bytes in a generated token (256 bits). */
  public static final int SECRET_BYTES = 32;

  private static final int ID_BYTES = GENERATED_BYTES - SECRET_BYTES;

  /** Fewest random bytes accepted in a parsed token (128 bits). */
  public static final int MIN_BYTES = 16;

  /** Most bytes accepted in a parsed token. */
  public static final int MAX_BYTES = 64;

  private static final String FIELD = "callbackToken";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final String value;

  private CallbackToken(String value) {
    this.value = value;
  }

  /** A new token for the registration {@code id}, with a fresh random secret. Thread-safe. */
  public static CallbackToken generateFor(RegistrationId id) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return of(id, secret);
  }

  /**
   * The token of the registration {@code id} with the given {@value #SECRET_BYTES}-byte secret: for
   * a secret derived under a key that every region holds, so that two regions creating the same
   * registration hand out the same URL. The caller keeps the secret unguessable.
   *
   * @throws IllegalArgumentException when {@code secret} is not {@value #SECRET_BYTES} bytes
   */
  public static CallbackToken of(RegistrationId id, byte[] secret) {
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("a callback secret is " + SECRET_BYTES + " bytes");
    }
    UUID uuid = UUID.fromString(id.value());
    ByteBuffer bytes = ByteBuffer.allocate(GENERATED_BYTES);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    bytes.put(secret);
    return new CallbackToken(ENCODER.encodeToString(bytes.array()));
  }

  /** A new token for a registration that does not exist (a random id): for tests. */
  public static CallbackToken generate() {
    return generateFor(RegistrationId.random());
  }

  /**
   * The registration this token names, or empty when it is not of the generated length (it then
   * belongs to no registration). Naming one proves nothing: the caller compares the whole token
   * with the stored one.
   */
  public Optional<RegistrationId> registrationId() {
    byte[] bytes = Base64.getUrlDecoder().decode(value);
    if (bytes.length != GENERATED_BYTES) {
      return Optional.empty();
    }
    ByteBuffer id = ByteBuffer.wrap(bytes, 0, ID_BYTES);
    return Optional.of(new RegistrationId(new UUID(id.getLong(), id.getLong()).toString()));
  }

  /**
   * Validates a token taken from a URL or the store: unpadded base64url of {@value #MIN_BYTES} to
   * {@value #MAX_BYTES} bytes.
   *
   * @throws InvalidValueException when it is not
   */
  public static CallbackToken parse(@Nullable String text) {
    String value = Checks.present(FIELD, text);
    int minChars = (MIN_BYTES * 8 + 5) / 6;
    int maxChars = (MAX_BYTES * 8 + 5) / 6;
    Checks.lengthWithin(FIELD, value, minChars, maxChars);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean base64Url =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '-'
              || c == '_';
      if (!base64Url) {
        throw new InvalidValueException(
            FIELD, "must be unpadded base64url; found " + Checks.describe(c) + " at position " + i);
      }
    }
    if (value.length() % 4 == 1) {
      throw new InvalidValueException(FIELD, "is not a whole number of base64url bytes");
    }
    return new CallbackToken(value);
  }

  /** The token text as it appears in the callback URL. Never log it. */
  public String value() {
    return value;
  }

  /** A form safe for logs: the first four characters only. */
  public String redacted() {
    return Redaction.shorten(value);
  }

  /** Compares in time that does not depend on the position of the first difference. */
  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof CallbackToken that)) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.US_ASCII), that.value.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "CallbackToken[" + redacted() + "]";
  }
}
