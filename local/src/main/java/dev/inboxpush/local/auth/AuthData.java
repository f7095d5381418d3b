package dev.inboxpush.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the local authorization server generates once and keeps in its data directory, so that a
 * restart keeps issuing tokens the registration service already trusts:
 *
 * <ul>
 *   <li>{@value #SIGNING_KEY_FILE}: the RSA signing key as a JWK (private parts included), with a
 *       fixed key id; the JWK set serves its public half;
 *   <li>{@value #SCRIPT_SECRET_FILE}: the script client's secret, one line, unless {@value
 *       AuthSettings#SCRIPT_CLIENT_SECRET} sets it (then no file is read or written).
 * </ul>
 *
 * <p>Missing files are generated on first start (written to a temporary file, readable by the owner
 * only where the file system has POSIX permissions, then moved into place); existing ones are
 * reused. A file that cannot be read or parsed stops start-up with a message naming it: delete it
 * to generate a new one (a new key invalidates every token issued with the old one).
 *
 * @param signingKey the RSA key tokens are signed with
 * @param keyGenerated whether this start generated it
 * @param scriptClientSecret the script client's secret
 * @param scriptSecretFile where it is kept, or {@code null} when it came from the environment
 */
public record AuthData(
    RSAKey signingKey,
    boolean keyGenerated,
    String scriptClientSecret,
    @Nullable Path scriptSecretFile) {

  /** The signing key's file in the data directory. */
  public static final String SIGNING_KEY_FILE = "signing-key.jwk";

  /** The script client's secret's file in the data directory. */
  public static final String SCRIPT_SECRET_FILE = "script-client-secret";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String REGENERATE = "delete it to generate a new one at the next start";

  /** Reads what {@code settings} keep in their data directory, generating what is missing. */
  public static AuthData loadOrCreate(AuthSettings settings) {
    Path directory = settings.dataDirectory();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the data directory "
              + directory
              + " ("
              + AuthSettings.DATA_DIR
              + "): "
              + e.getMessage(),
          e);
    }
    Path keyFile = directory.resolve(SIGNING_KEY_FILE);
    boolean generated = !Files.exists(keyFile);
    if (generated) {
      writeOnce(keyFile, newKey().toJSONString());
    }
    RSAKey key = readKey(keyFile);
    String secret = settings.scriptClientSecret();
    if (secret != null) {
      return new AuthData(key, generated, secret, null);
    }
    Path secretFile = directory.resolve(SCRIPT_SECRET_FILE);
    if (!Files.exists(secretFile)) {
      writeOnce(secretFile, newSecret() + "\n");
    }
    return new AuthData(key, generated, readSecret(secretFile), secretFile);
  }

  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048)
          .keyID(UUID.randomUUID().toString())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA signing key", e);
    }
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static RSAKey readKey(Path file) {
    String json = read(file);
    try {
      JWK jwk = JWK.parse(json);
      if (!(jwk instanceof RSAKey) || !jwk.isPrivate() || jwk.getKeyID() == null) {
        throw new IllegalStateException(
            file + " is not a private RSA JWK with a key id; " + REGENERATE);
      }
      return (RSAKey) jwk;
    } catch (ParseException e) {
      throw new IllegalStateException(
          file + " is not a JWK (" + e.getMessage() + "); " + REGENERATE, e);
    }
  }

  private static String readSecret(Path file) {
    String secret = read(file).strip();
    if (secret.isEmpty()) {
      throw new IllegalStateException(file + " is empty; " + REGENERATE);
    }
    return secret;
  }

  private static String deleteToRegenerate(Path file) {
    return "delete it to generate a new one at the next start";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code content} to {@code file} unless another start wrote it first: a half-written file
   * is never seen, and two servers starting on one empty directory agree on the first one's file.
   */
  private static void writeOnce(Path file, String content) {
    try {
      Path temporary = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
      try {
        restrictToOwner(temporary);
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        // A rename within the directory, refused when the file exists (never replaces it).
        Files.move(temporary, file);
      } catch (FileAlreadyExistsException e) {
        // Another start won; its file is read instead.
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
