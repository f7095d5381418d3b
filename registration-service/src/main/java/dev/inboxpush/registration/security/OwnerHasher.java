package dev.inboxpush.registration.security;

import dev.inboxpush.model.OwnerHash;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Turns a caller into the {@link OwnerHash} stored with their registrations: HMAC-SHA256 of the
 * token's issuer and subject under a secret key, so that the table holds no user identifier and a
 * leaked table cannot be joined with an identity provider's user list. Thread-safe.
 */
public final class OwnerHasher {

  private final SecretKeySpec key;

  /**
   * @param secret {@code inboxpush.registration.owner-hash-key}, at least 32 characters, from the
   *     environment or a secret store, never the repository
   */
  public OwnerHasher(@Nullable String secret) {
    if (secret == null || secret.length() < 32) {
      throw new IllegalArgumentException(
          "inboxpush.registration.owner-hash-key is required: a secret of at least 32 characters"
              + " (set INBOXPUSH_REGISTRATION_OWNER_HASH_KEY)");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** The caller's hash; tokens without a subject never get here (they are refused with 401). */
  public OwnerHash ownerOf(Jwt caller) {
    String subject = caller.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new IllegalStateException("a token without a subject passed validation");
    }
    String issuer = caller.getIssuer() == null ? "" : caller.getIssuer().toString();
    return hash(issuer + "\n" + caller.getSubject());
  }

  OwnerHash hash(String identity) {
    return OwnerHash.of(
        HexFormat.of()
            .formatHex(Hmac.sha256(key).doFinal(identity.getBytes(StandardCharsets.UTF_8))));
  }
}
