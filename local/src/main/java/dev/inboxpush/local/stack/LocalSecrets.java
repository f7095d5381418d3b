package dev.inboxpush.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one secret the stack itself generates: the registration service's owner-hash key (the HMAC
 * key of stored caller ids), kept in {@code <data>/registration/owner-hash-key} so that a second
 * start hashes callers as the first did and finds their registrations. The other secrets belong to
 * the peers that use them (the authorization server's signing key, the local push peer's
 * certificates and keys), each kept in its own data folder by that peer.
 *
 * <p>Written once, readable by the owner only; never logged. A file that exists but is too short
 * stops the run with a message naming it (delete it to have a new one generated, which orphans
 * every registration kept so far).
 */
final class LocalSecrets {

  /** At least the 32 characters the registration service requires. */
  private static final int KEY_BYTES = 32;

  private LocalSecrets() {}

  /** Reads the key from {@code directory}, generating it on first use. */
  static String ownerHashKey(Path directory) {
    Path file = directory.resolve("owner-hash-key");
    try {
      Files.createDirectories(directory);
      if (!Files.exists(file)) {
        byte[] random = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // Written whole to a private temporary file, then moved into place: a start that dies
        // half-way leaves no short key behind.
        Path temporary =
            Files.createTempFile(
                directory,
                ".owner-hash-key",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, key, StandardCharsets.US_ASCII);
        try {
          Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          Files.deleteIfExists(temporary);
          if (!Files.exists(file)) {
            throw raced;
          }
          // another start wrote it first: use that one
        }
      }
      String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (key.length() < 32) {
        throw new IllegalStateException(
            file + " holds a key shorter than 32 characters: delete it to generate a new one");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
