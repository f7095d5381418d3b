package dev.inboxpush.testsupport.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.internal.ApacheHttp2Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;

/**
 * firebase-admin's own HTTP/2 transport ({@code ApacheHttp2Transport}, the default since 9.4.0)
 * pointed at a {@link FakeFcmServer}, so that tests exercise the real request path: HTTP/2 over TLS
 * with ALPN, the same connection pool and stream limits, and the real error parsing.
 *
 * <p>How: the Apache HttpClient 5 async client is built like firebase-admin's {@code
 * ApacheHttp2Transport.defaultHttpAsyncClientBuilder()} (200 connections, 100 per route, 100
 * concurrent HTTP/2 streams, ALPN negotiation, no redirects, no automatic retries), except that a
 * {@link DnsResolver} maps {@value FakeFcmServer#FCM_HOST} to {@code 127.0.0.1}, a {@link
 * SchemePortResolver} maps it to the fake's port (set on the client builder, where the route is
 * planned, and on the connection manager), and TLS trusts only the fake's test root. The request
 * URL stays {@code https://fcm.googleapis.com/v1/projects/{project}/messages:send}, and the host
 * name is verified against the fake's certificate. No real network access is possible through it.
 *
 * <p>It is also an {@link HttpTransportFactory}, so that google-auth fetches access tokens through
 * it too: {@code GoogleCredentials.fromStream(in, transport)} on a service-account file from {@link
 * FakeFcmServer#newServiceAccount} yields {@code ServiceAccountCredentials} that ask the fake's
 * token endpoint ({@link FakeFcmServer#tokenUri()}, on the same host name) for tokens, signing
 * their requests with the account's key, exactly as in production.
 *
 * <p>{@code ApacheHttp2Transport} lives in firebase-admin's {@code internal} package: public, but
 * not a stable API; this class is where a firebase-admin upgrade that moves it breaks.
 *
 * <p>Lifecycle: {@link #connect} starts the client (its I/O threads); {@link #close()} shuts it
 * down. {@code FirebaseApp.delete()} does not close a transport given in the options, so close this
 * after deleting the app. The server must be started first (its port is read once). Thread-safe, as
 * the transport is.
 */
public final class FakeFcmTransport implements HttpTransportFactory, AutoCloseable {

  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final ApacheHttp2Transport transport;
  private final String accessToken;

  private FakeFcmTransport(ApacheHttp2Transport transport, String accessToken) {
    this.transport = transport;
    this.accessToken = accessToken;
  }

  /** A started transport to {@code server}. */
  public static FakeFcmTransport connect(FakeFcmServer server) {
    return new FakeFcmTransport(
        new ApacheHttp2Transport(client(server.port(), server.clientSslContext())),
        server.acceptedAccessToken());
  }

  /**
   * A started transport to a fake FCM server in another process (a local run's), listening on
   * {@code 127.0.0.1:port}, trusting only what {@code trust} trusts (that server's root). {@link
   * #firebaseOptions} then presents {@value FakeFcmServer#DEFAULT_ACCESS_TOKEN}; credentials read
   * from that server's service-account file with this factory fetch real tokens instead.
   */
  public static FakeFcmTransport connect(int port, SSLContext trust) {
    return new FakeFcmTransport(
        new ApacheHttp2Transport(client(port, trust)), FakeFcmServer.DEFAULT_ACCESS_TOKEN);
  }

  /** The transport, for {@code FirebaseOptions.Builder.setHttpTransport}. */
  public HttpTransport httpTransport() {
    return transport;
  }

  /**
   * The same transport, for google-auth: credentials built with this factory fetch their access
   * tokens from the fake.
   */
  @Override
  public HttpTransport create() {
    return transport;
  }

  /**
   * Options for a {@code FirebaseApp} that sends to the fake: project {@code projectId}, this
   * transport, and {@link #credentials} with the token the server accepts. Callers may change
   * anything before {@code build()}, e.g. the credentials to provoke a 401 or a thread manager.
   */
  public FirebaseOptions.Builder firebaseOptions(String projectId) {
    return FirebaseOptions.builder()
        .setProjectId(projectId)
        .setCredentials(credentials(accessToken))
        .setHttpTransport(transport);
  }

  /**
   * Credentials that always present {@code accessToken}, also after a refresh. Unlike {@code
   * GoogleCredentials.create(AccessToken)}, a 401 answer makes google-auth refresh (to the same
   * token) instead of throwing {@code IllegalStateException}, so the 401 reaches firebase-admin's
   * error handling as it would in production.
   */
  public static GoogleCredentials credentials(String accessToken) {
    return new FixedTokenCredentials(accessToken);
  }

  /** Shuts the client down; safe to call twice. */
  @Override
  public void close() {
    try {
      transport.shutdown();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CloseableHttpAsyncClient client(int port, SSLContext trust) {
    SchemePortResolver ports =
        host -> isFcm(host.getHostName()) ? port : DefaultSchemePortResolver.INSTANCE.resolve(host);
    PoolingAsyncClientConnectionManager connections =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(200)
            .setMaxConnPerRoute(100)
            .setDefaultTlsConfig(
                TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.NEGOTIATE).build())
            .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(trust).buildAsync())
            .setDnsResolver(new LoopbackFcm())
            .setSchemePortResolver(ports)
            .build();
    return HttpAsyncClientBuilder.create()
        .setH2Config(H2Config.custom().setMaxConcurrentStreams(100).build())
        .setHttp1Config(Http1Config.DEFAULT)
        .setConnectionManager(connections)
        .setSchemePortResolver(ports)
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .build();
  }

  private static boolean isFcm(String host) {
    return FakeFcmServer.FCM_HOST.equals(host.toLowerCase(Locale.ROOT));
  }

  /** Resolves {@value FakeFcmServer#FCM_HOST} to loopback and everything else as usual. */
  private static final class LoopbackFcm extends SystemDefaultDnsResolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      if (isFcm(host)) {
        return new InetAddress[] {
          InetAddress.getByAddress(FakeFcmServer.FCM_HOST, new byte[] {127, 0, 0, 1})
        };
      }
      return super.resolve(host);
    }
  }

  /** Always the same token; what firebase-admin's own tests call MockGoogleCredentials. */
  private static final class FixedTokenCredentials extends GoogleCredentials {

    private static final long serialVersionUID = 1L;

    private final String token;

    FixedTokenCredentials(String token) {
      this.token = token;
    }

    @Override
    public AccessToken refreshAccessToken() {
      return new AccessToken(token, Date.from(Instant.now().plus(TOKEN_LIFETIME)));
    }
  }
}
