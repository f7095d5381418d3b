package dev.inboxpush.listener.dispatch.apns;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import org.jspecify.annotations.Nullable;

/**
 * One app's credentials, read once at start-up from the files the configuration names. A missing,
 * unreadable or malformed file stops start-up with a message naming the setting; nothing falls back
 * to a default. Also publishes how old each signing key is and when each certificate expires:
 *
 * <ul>
 *   <li>{@value #KEY_AGE}{@code {app}}: seconds since the .p8 file was last written (a .p8 key
 *       carries no date of its own; rotate keys you suspect, Apple never expires them).
 *   <li>{@value #CERTIFICATE_EXPIRY}{@code {app}}: seconds until the client certificate expires;
 *       negative once it has. Alert well before zero.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class ApnsCredentials {

  static final String KEY_AGE = "inboxpush.apns.signing.key.age";
  static final String CERTIFICATE_EXPIRY = "inboxpush.apns.certificate.expires.in";

  private final @Nullable ApnsSigningKey signingKey;
  private final @Nullable X509Certificate certificate;
  private final @Nullable PrivateKey privateKey;
  private final @Nullable String password;
  private final Instant keyWritten;

  private ApnsCredentials(
      @Nullable ApnsSigningKey signingKey,
      @Nullable X509Certificate certificate,
      @Nullable PrivateKey privateKey,
      @Nullable String password,
      Instant keyWritten) {
    this.signingKey = signingKey;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.password = password;
    this.keyWritten = keyWritten;
  }

  /**
   * Reads {@code app}'s credentials.
   *
   * @param setting the app's setting prefix, {@code inboxpush.apns.apps[i]}, for error messages
   * @throws IllegalStateException naming the setting when a file is missing or unusable
   */
  static ApnsCredentials read(ApnsProperties.App app, String setting) {
    ApnsProperties.Token token = app.token();
    if (token != null) {
      Path file = readable(token.keyFile(), setting + ".token.key-file", ".p8 signing key");
      try {
        return new ApnsCredentials(
            ApnsSigningKey.loadFromPkcs8File(file.toFile(), token.teamId(), token.keyId()),
            null,
            null,
            null,
            Files.getLastModifiedTime(file).toInstant());
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        throw new IllegalStateException(
            setting
                + ".token: cannot use the .p8 key at "
                + file
                + " with key-id and team-id as given ("
                + e.getClass().getSimpleName()
                + "); it must be the PKCS#8 EC key Apple issued",
            e);
      }
    }
    ApnsProperties.Certificate given = app.certificate();
    if (given == null) {
      throw new IllegalStateException(setting + ": neither token nor certificate is set");
    }
    Path file = readable(given.file(), setting + ".certificate.file", ".p12 certificate");
    char[] password = given.password() == null ? new char[0] : given.password().toCharArray();
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      for (String alias : Collections.list(store.aliases())) {
        Key key = store.getKey(alias, password);
        if (key instanceof PrivateKey privateKey
            && store.getCertificate(alias) instanceof X509Certificate certificate) {
          return new ApnsCredentials(
              null, certificate, privateKey, given.password(), Instant.EPOCH);
        }
      }
      throw new IllegalStateException(
          setting + ".certificate.file: " + file + " holds no private key with its certificate");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          setting
              + ".certificate: cannot open the .p12 file at "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); check the file and "
              + setting
              + ".certificate.password",
          e);
    }
  }

  /** Sets these credentials on a client builder. */
  ApnsClientBuilder applyTo(ApnsClientBuilder builder) {
    if (signingKey != null) {
      return builder.setSigningKey(signingKey);
    }
    if (certificate == null || privateKey == null) {
      throw new IllegalStateException("credentials without a key");
    }
    return builder.setClientCredentials(certificate, privateKey, password);
  }

  /** Registers the key age or certificate expiry gauge of {@code topic}. */
  void publish(MeterRegistry registry, String topic, Clock clock) {
    if (certificate != null) {
      Instant notAfter = certificate.getNotAfter().toInstant();
      Gauge.builder(
              CERTIFICATE_EXPIRY,
              () -> notAfter.getEpochSecond() - clock.instant().getEpochSecond())
          .description("seconds until the APNs client certificate expires")
          .baseUnit("seconds")
          .tag("app", topic)
          .register(registry);
    } else {
      Gauge.builder(KEY_AGE, () -> clock.instant().getEpochSecond() - keyWritten.getEpochSecond())
          .description("seconds since the APNs .p8 signing key file was written")
          .baseUnit("seconds")
          .tag("app", topic)
          .register(registry);
    }
  }

  private static Path readable(Path file, String setting, String what) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalStateException(
          setting + ": the " + what + " " + file + " does not exist or cannot be read");
    }
    return file;
  }
}
