package dev.inboxpush.listener.dispatch.fcm;

import com.google.firebase.internal.ApacheHttp2Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultProxyRoutePlanner;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/**
 * firebase-admin's own HTTP/2 transport ({@code ApacheHttp2Transport}, its default since 9.4.0),
 * built from its default client settings (HTTP/2 with 100 streams per connection, no automatic
 * retries or redirects, the JVM's proxy settings) plus the three options firebase-admin has no
 * setting for: where {@code fcm.googleapis.com} really is ({@code base-url}), whom to trust ({@code
 * trusted-server-certificates}, else the JDK's trust store) and an outbound proxy (which wins over
 * {@code base-url}: the proxy resolves the host). One transport per FirebaseApp: each has its own
 * connection pool, and so its own HTTP/2 stream budget.
 *
 * <p>{@code ApacheHttp2Transport} is public but lives in an {@code internal} package: a
 * firebase-admin upgrade that moves it breaks here, and only here.
 */
final class FcmTransports {

  static final String FCM_HOST = "fcm.googleapis.com";

  private FcmTransports() {}

  /**
   * A started transport; close it with {@code shutdown()} after its FirebaseApp is deleted.
   *
   * @throws IllegalStateException naming the setting when the trusted certificates cannot be read
   */
  static ApacheHttp2Transport create(FcmProperties properties) {
    URI baseUrl = properties.baseUrl();
    SchemePortResolver ports =
        baseUrl == null
            ? DefaultSchemePortResolver.INSTANCE
            : host ->
                isFcm(host.getHostName())
                    ? (baseUrl.getPort() > 0 ? baseUrl.getPort() : 443)
                    : DefaultSchemePortResolver.INSTANCE.resolve(host);
    PoolingAsyncClientConnectionManagerBuilder connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            // firebase-admin's defaults: one HTTP/2 connection carries up to 100 streams.
            .setMaxConnTotal(200)
            .setMaxConnPerRoute(100)
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.NEGOTIATE).build())
            .setSchemePortResolver(ports);
    if (properties.trustedServerCertificates() != null) {
      connections.setTlsStrategy(
          ClientTlsStrategyBuilder.create()
              .setSslContext(trusting(properties.trustedServerCertificates()))
              .buildAsync());
    }
    if (baseUrl != null) {
      connections.setDnsResolver(new FcmAt(baseUrl.getHost()));
    }
    // The route planner decides host and port (the default one brings its own port resolver).
    FcmProperties.Proxy proxy = properties.proxy();
    HttpAsyncClientBuilder client =
        ApacheHttp2Transport.defaultHttpAsyncClientBuilder()
            .setConnectionManager(connections.build())
            .setSchemePortResolver(ports)
            .setRoutePlanner(
                proxy == null
                    // As firebase-admin's default: the JVM's proxy settings still apply.
                    ? new SystemDefaultRoutePlanner(ports, ProxySelector.getDefault())
                    : new DefaultProxyRoutePlanner(
                        new HttpHost(proxy.host(), proxy.port()), ports));
    return new ApacheHttp2Transport(client.build());
  }

  private static boolean isFcm(String host) {
    return FCM_HOST.equals(host.toLowerCase(Locale.ROOT));
  }

  private static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("trusted-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalStateException(
            "inboxpush.fcm.trusted-server-certificates: no certificate in " + pem);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "inboxpush.fcm.trusted-server-certificates: cannot read " + pem + " (" + e + ")", e);
    }
  }

  /** Resolves {@code fcm.googleapis.com} to the base URL's host; every other name as usual. */
  private static final class FcmAt extends SystemDefaultDnsResolver {

    private final String host;

    FcmAt(String host) {
      this.host = host;
    }

    @Override
    public InetAddress[] resolve(String name) throws UnknownHostException {
      if (isFcm(name)) {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        InetAddress[] named = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
          named[i] = InetAddress.getByAddress(FCM_HOST, addresses[i].getAddress());
        }
        return named;
      }
      return super.resolve(name);
    }
  }
}
