package dev.inboxpush.testsupport.tls;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A throw-away certificate authority for one test run: a root, a server certificate for {@code
 * localhost} / {@code 127.0.0.1} (and any extra host names, such as {@code fcm.googleapis.com}),
 * and client certificates for APNs certificate authentication. Keys are generated in memory (EC
 * P-256) and written only to temporary files; nothing here is ever committed.
 *
 * <p>A local run keeps its authority across restarts: {@link #create(Duration)} makes a long-lived
 * root, and {@link #of(X509Bundle)} takes one read back from disk (a certificate and its key pair,
 * {@link X509Bundle#fromRootCertificateAuthority}), so that certificates issued after a restart are
 * trusted by clients configured with the first start's root.
 *
 * <p>Immutable after construction and thread-safe. Construction costs a few milliseconds of key
 * generation.
 */
public final class TestPki {

  private final X509Bundle root;

  private TestPki(X509Bundle root) {
    this.root = root;
  }

  /** A new root valid from an hour ago for a year. */
  public static TestPki create() {
    return create(Duration.ofDays(365));
  }

  /** A new root valid from an hour ago until {@code validFor} from now. */
  public static TestPki create(Duration validFor) {
    try {
      Instant now = Instant.now();
      return new TestPki(
          new CertificateBuilder()
              .subject("CN=inbox-push test root")
              .setIsCertificateAuthority(true)
              .ecp256()
              .notBefore(now.minus(Duration.ofHours(1)))
              .notAfter(now.plus(validFor))
              .buildSelfSigned());
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the test root certificate", e);
    }
  }

  /**
   * The authority of an existing root, such as one kept on disk by a local run.
   *
   * @throws IllegalArgumentException if {@code root} is not a certificate authority with its
   *     private key
   */
  public static TestPki of(X509Bundle root) {
    if (!root.isCertificateAuthority() || root.getKeyPair().getPrivate() == null) {
      throw new IllegalArgumentException(
          "not a certificate authority with its private key: " + root.getCertificate());
    }
    return new TestPki(root);
  }

  /** The root, to trust. */
  public X509Bundle root() {
    return root;
  }

  /** A server certificate for localhost, 127.0.0.1 and {@code extraHostNames}, for 30 days. */
  public X509Bundle server(String... extraHostNames) {
    return server(Duration.ofDays(30), extraHostNames);
  }

  /**
   * A server certificate for localhost, 127.0.0.1 and {@code extraHostNames}, valid from an hour
   * ago for {@code validFor}.
   */
  public X509Bundle server(Duration validFor, String... extraHostNames) {
    CertificateBuilder builder =
        leaf("CN=localhost", validFor)
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .addExtendedKeyUsageServerAuth();
    for (String host : extraHostNames) {
      builder.addSanDnsName(host);
    }
    return issue(builder);
  }

  /**
   * A client certificate, as APNs issues for certificate authentication: the subject's UID is the
   * topic (bundle id), valid for {@code validFor} from an hour ago.
   */
  public X509Bundle client(String topic, Duration validFor) {
    return issue(
        leaf("UID=" + topic + ", CN=Apple Push Services: " + topic, validFor)
            .addExtendedKeyUsageClientAuth());
  }

  /** {@code key} as PKCS#8 PEM, the form of an APNs .p8 file and a service account's key. */
  public static String pkcs8Pem(PrivateKey key) {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pem.toString();
  }

  /** Writes {@code pem} to a new temporary file deleted on exit. */
  public static Path writeTemp(String pem, String suffix) {
    try {
      Path file = Files.createTempFile("inboxpush-", suffix);
      file.toFile().deleteOnExit();
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CertificateBuilder leaf(String subject, Duration validFor) {
    Instant now = Instant.now();
    return new CertificateBuilder()
        .subject(subject)
        .ecp256()
        .notBefore(now.minus(Duration.ofHours(1)))
        .notAfter(now.minus(Duration.ofHours(1)).plus(validFor));
  }

  private X509Bundle issue(CertificateBuilder builder) {
    try {
      return builder.buildIssuedBy(root);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }
}
