package dev.inboxpush.registration.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code inboxpush.registration.owner-hash-key}: the HMAC key of stored caller ids, at least 32
 * characters, from a secret store or the environment ({@code
 * INBOXPUSH_REGISTRATION_OWNER_HASH_KEY}), never the repository. Required: {@link OwnerHasher}
 * refuses to start without it, naming the setting. Its {@code toString} does not show the key.
 *
 * @param ownerHashKey the key
 */
@ConfigurationProperties("inboxpush.registration")
public record OwnerHashProperties(@Nullable String ownerHashKey) {

  @Override
  public String toString() {
    return "OwnerHashProperties[ownerHashKey=" + (ownerHashKey == null ? "none" : "***") + "]";
  }
}
