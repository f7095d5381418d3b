package dev.inboxpush.doctor.ews;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.jspecify.annotations.Nullable;

/**
 * Step 1's connection check: can this machine connect to the EWS host, and is its TLS certificate
 * valid — and if not, which check failed (dates, chain of trust, host name). The certificate chain
 * is fetched in a handshake that trusts anything and sends nothing, then judged on its own with the
 * JDK's PKIX validation against {@link Trust}; the connection is closed at once.
 *
 * <p>Why not leave this to ews-java-api: its trust manager ({@code EwsX509TrustManager}) accepts
 * any chain of one certificate whose dates are valid, self-signed ones included, so it would not
 * tell an administrator that mail apps will refuse the server. {@link JavaApiEws} connects with
 * {@link Trust#sslContext()} instead.
 *
 * <p>Stateless and thread-safe; blocking, bounded by the timeout.
 */
public final class TlsCheck {

  /** What the check found. */
  public sealed interface Verdict {
    /** Plain HTTP: reachable, nothing to check (and credentials travel unencrypted). */
    record PlainHttp(String address) implements Verdict {}

    /** Reachable, and the certificate passed every check. */
    record Trusted(String certificate) implements Verdict {}

    /** Reachable, but the certificate failed these checks (one line each). */
    record Rejected(List<String> failures, String certificate) implements Verdict {}

    /** The connection (or the handshake) failed. */
    record Unreachable(EwsProblem problem, String detail) implements Verdict {}
  }

  /**
   * The certificate authorities EWS servers are checked against: the JDK's default trust store, or
   * only the certificates of a PEM file (an internal CA).
   */
  public static final class Trust {
    private final X509TrustManager manager;
    private final Set<TrustAnchor> anchors;

    private Trust(X509TrustManager manager) {
      this.manager = manager;
      Set<TrustAnchor> set = new HashSet<>();
      for (X509Certificate certificate : manager.getAcceptedIssuers()) {
        set.add(new TrustAnchor(certificate, null));
      }
      this.anchors = set;
    }

    /** The JDK's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    public static Trust jdkDefault() {
      return of(null);
    }

    /**
     * Only the certificates in {@code pem} (one or more {@code -----BEGIN CERTIFICATE-----}).
     *
     * @throws IllegalArgumentException if it holds no certificate
     */
    public static Trust fromPem(byte[] pem) {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (var certificate :
            CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(pem))) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
          throw new IllegalArgumentException("no certificate in the CA file");
        }
        return of(store);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalArgumentException("cannot read the CA file: " + e.getMessage(), e);
      }
    }

    private static Trust of(@Nullable KeyStore store) {
      try {
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
          if (manager instanceof X509TrustManager x509) {
            return new Trust(x509);
          }
        }
        throw new IllegalStateException("the JDK has no X.509 trust manager");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot initialise the trust store", e);
      }
    }

    /** A TLS context that verifies servers against these authorities (host names: the caller). */
    public SSLContext sslContext() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {manager}, null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot create a TLS context", e);
      }
    }
  }

  private final Trust trust;
  private final Duration timeout;

  public TlsCheck(Trust trust, Duration timeout) {
    this.trust = trust;
    this.timeout = timeout;
  }

  public Verdict check(URI url) {
    String host = url.getHost();
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    String address = host + ":" + port;
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), millis);
    } catch (UnknownHostException e) {
      close(socket);
      return new Verdict.Unreachable(EwsProblem.UNREACHABLE, "unknown host " + host);
    } catch (SocketTimeoutException e) {
      close(socket);
      return new Verdict.Unreachable(
          EwsProblem.UNREACHABLE,
          "no connection to " + address + " within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      close(socket);
      return new Verdict.Unreachable(
          EwsProblem.UNREACHABLE, "cannot connect to " + address + ": " + e.getMessage());
    }
    if (!tls) {
      close(socket);
      return new Verdict.PlainHttp(address);
    }
    X509Certificate[] chain;
    try (SSLSocket ssl =
        (SSLSocket) captureOnly().getSocketFactory().createSocket(socket, host, port, true)) {
      ssl.setSoTimeout(millis);
      ssl.startHandshake();
      chain =
          Arrays.stream(ssl.getSession().getPeerCertificates())
              .map(X509Certificate.class::cast)
              .toArray(X509Certificate[]::new);
    } catch (SocketTimeoutException e) {
      return new Verdict.Unreachable(
          EwsProblem.TIMEOUT,
          "no TLS handshake with " + address + " within " + timeout.toSeconds() + " s");
    } catch (SSLException e) {
      return new Verdict.Unreachable(EwsProblem.TLS, "TLS handshake failed: " + e.getMessage());
    } catch (IOException e) {
      return new Verdict.Unreachable(
          EwsProblem.UNREACHABLE, "connection to " + address + " lost: " + e.getMessage());
    }
    return judge(host, chain);
  }

  private Verdict judge(String host, X509Certificate[] chain) {
    X509Certificate leaf = chain[0];
    List<String> failures = new ArrayList<>();
    boolean datesValid = true;
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      failures.add("expired on " + leaf.getNotAfter().toInstant());
      datesValid = false;
    } catch (CertificateNotYetValidException e) {
      failures.add("not valid before " + leaf.getNotBefore().toInstant());
      datesValid = false;
    }
    try {
      PKIXParameters parameters = new PKIXParameters(trust.anchors);
      // Revocation needs the network to CRL and OCSP servers, which this check must not depend on.
      parameters.setRevocationEnabled(false);
      if (!datesValid) {
        // Judge the chain of trust on its own: at a moment inside the leaf's validity.
        parameters.setDate(
            new java.util.Date(
                leaf.getNotBefore().getTime()
                    + (leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime()) / 2));
      }
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(trustPath(chain)),
              parameters);
    } catch (GeneralSecurityException | RuntimeException e) {
      failures.add(
          chain.length == 1 && selfSigned(leaf)
              ? "self-signed, not issued by a trusted authority"
              : "not issued by a trusted authority (" + e.getMessage() + ")");
    }
    try {
      new DefaultHostnameVerifier().verify(host, leaf);
    } catch (SSLException e) {
      failures.add("not for the host name " + host + " (" + e.getMessage() + ")");
    }
    String certificate =
        leaf.getSubjectX500Principal().getName()
            + ", issued by "
            + leaf.getIssuerX500Principal().getName()
            + ", valid until "
            + leaf.getNotAfter().toInstant();
    return failures.isEmpty()
        ? new Verdict.Trusted(certificate)
        : new Verdict.Rejected(List.copyOf(failures), certificate);
  }

  /** The chain without a trailing trust anchor, as PKIX validation wants it. */
  private List<X509Certificate> trustPath(X509Certificate[] chain) {
    List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
    if (path.size() > 1 && selfSigned(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    return path;
  }

  private static boolean selfSigned(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * A context that accepts any server certificate, only to read the chain: nothing is sent over it,
   * and the connection is closed right after the handshake.
   */
  private static SSLContext captureOnly() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do: it was never usable
    }
  }
}
