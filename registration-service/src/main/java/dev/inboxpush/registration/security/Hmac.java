package dev.inboxpush.registration.security;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under a key, for the owner hash and the derived registration secrets. */
final class Hmac {

  private Hmac() {}

  /** A new {@link Mac} keyed with {@code key} (a {@code Mac} is not thread-safe: one per use). */
  static Mac sha256(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }
}
