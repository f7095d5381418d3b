package dev.inboxpush.local.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The local OAuth2 authorization server: Spring Authorization Server on Spring MVC and Tomcat, so
 * that a local run of the registration service trusts real OAuth2 tokens through the settings it
 * has in production ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} and {@code
 * jwk-set-uri}). Standard grants only:
 *
 * <ul>
 *   <li>{@value #APP_CLIENT_ID}: a public client (no secret), authorization code with PKCE ({@code
 *       S256}) required, scope {@code openid}, no consent screen. Its login page accepts any user
 *       name, which becomes the token's {@code sub}; there is no password ({@link AnyUserName}).
 *   <li>{@value #SCRIPT_CLIENT_ID}: a confidential client for scripts, client credentials, secret
 *       by HTTP Basic or form post; the token's {@code sub} is the client id.
 * </ul>
 *
 * Access tokens carry the audience {@value #AUDIENCE} ({@link AudienceCustomizer}). There is no
 * endpoint that issues tokens outside OAuth2 and no other grant type.
 *
 * <p>Configured by environment variables only ({@link AuthSettings}); Spring Boot's own keys
 * ({@code server.port} and the like) cannot move it:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value AuthSettings#PORT}</td><td>{@value AuthSettings#DEFAULT_PORT}</td>
 *       <td>the port; 0 picks a free one</td></tr>
 *   <tr><td>{@value AuthSettings#ADDRESS}</td><td>{@code 127.0.0.1}</td>
 *       <td>the bind address (an IP address; {@code 0.0.0.0} in a container)</td></tr>
 *   <tr><td>{@value AuthSettings#ISSUER}</td><td>{@code http://127.0.0.1:<port>}</td>
 *       <td>the tokens' {@code iss}, as the registration service is configured with it</td></tr>
 *   <tr><td>{@value AuthSettings#DATA_DIR}</td><td>{@code .local/auth}</td>
 *       <td>where the signing key and the script secret are kept ({@link AuthData})</td></tr>
 *   <tr><td>{@value AuthSettings#REDIRECT_URIS}</td><td>{@value AuthSettings#DEFAULT_REDIRECT_URI}
 *       </td><td>the app client's redirect URIs, comma-separated; a loopback one matches any
 *       port</td></tr>
 *   <tr><td>{@value AuthSettings#SCRIPT_CLIENT_SECRET}</td><td>generated</td>
 *       <td>the script client's secret instead of the one kept in the data directory</td></tr>
 * </table>
 *
 * <p>Lifecycle: {@link #start} reads or generates the data directory's files, then starts the
 * server and returns once it listens; a bad setting or an unreadable file stops it before anything
 * listens, with a message naming the variable or the file. {@link #close} stops it; {@link #main}
 * runs until the JVM is interrupted (Ctrl-C). Requests are served on Tomcat's threads; this class
 * is thread-safe.
 */
public final class LocalAuthorizationServer implements AutoCloseable {

  /** The audience the registration service requires, added to every access token. */
  public static final String AUDIENCE = "inboxpush";

  /** The public PKCE client. */
  public static final String APP_CLIENT_ID = "inboxpush-app";

  /** The confidential client-credentials client. */
  public static final String SCRIPT_CLIENT_ID = "inboxpush-script";

  private static final Logger log = LoggerFactory.getLogger(LocalAuthorizationServer.class);
  private static final int START_ATTEMPTS = 5;

  private final ConfigurableApplicationContext context;
  private final AuthSettings settings;
  private final AuthData data;

  private LocalAuthorizationServer(
      ConfigurableApplicationContext context, AuthSettings settings, AuthData data) {
    this.context = context;
    this.settings = settings;
    this.data = data;
  }

  /** Starts the server from the environment and keeps it running until the JVM stops. */
  public static void main(String[] args) {
    AuthSettings settings;
    try {
      settings = AuthSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("local authorization server: " + e.getMessage());
      System.exit(2);
      return;
    }
    LocalAuthorizationServer server = start(settings);
    server.logWhatANewcomerNeeds();
  }

  /**
   * Starts a server with {@code settings}; on port 0, on a free port (tried again on another one if
   * it was taken in between).
   *
   * @throws IllegalStateException if a file of the data directory cannot be read or written
   */
  public static LocalAuthorizationServer start(AuthSettings settings) {
    AuthData data = AuthData.loadOrCreate(settings);
    for (int attempt = 1; ; attempt++) {
      AuthSettings bound =
          settings.onPort(settings.port() == 0 ? freePort(settings) : settings.port());
      try {
        return new LocalAuthorizationServer(run(bound, data), bound, data);
      } catch (RuntimeException e) {
        if (settings.port() != 0 || attempt == START_ATTEMPTS || !portInUse(e)) {
          throw e;
        }
        log.info("port {} was taken before the server bound it; trying another", bound.port());
      }
    }
  }

  private static ConfigurableApplicationContext run(AuthSettings settings, AuthData data) {
    return new SpringApplicationBuilder(Application.class)
        .main(LocalAuthorizationServer.class)
        // Explicitly servlets: the services on the class path beside it (tests, the local stack)
        // bring WebFlux, which Boot would otherwise prefer.
        .web(WebApplicationType.SERVLET)
        .bannerMode(Banner.Mode.OFF)
        .properties(
            Map.of(
                "spring.application.name", "local-auth",
                // No application.yml of a service on the class path applies to this server.
                "spring.config.name", "local-auth"))
        .initializers(
            context -> {
              GenericApplicationContext generic = (GenericApplicationContext) context;
              generic.registerBean(AuthSettings.class, () -> settings);
              generic.registerBean(AuthData.class, () -> data);
            })
        .run();
  }

  private static int freePort(AuthSettings settings) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(settings.address(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on " + settings.address(), e);
    }
  }

  private static boolean portInUse(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof PortInUseException) {
        return true;
      }
    }
    return false;
  }

  /** The {@code iss} of every token: the registration service's {@code issuer-uri}. */
  public String issuer() {
    return issuer(settings);
  }

  /** The port it listens on. */
  public int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** The JWK set: the registration service's {@code jwk-set-uri}. */
  public URI jwkSetUri() {
    return URI.create(issuer() + "/oauth2/jwks");
  }

  /** The token endpoint. */
  public URI tokenUri() {
    return URI.create(issuer() + "/oauth2/token");
  }

  /** The authorization endpoint. */
  public URI authorizationUri() {
    return URI.create(issuer() + "/oauth2/authorize");
  }

  /** The OpenID Connect discovery document, which names the issuer and the JWK set. */
  public URI discoveryUri() {
    return URI.create(issuer() + "/.well-known/openid-configuration");
  }

  /** The script client's secret. */
  public String scriptClientSecret() {
    return data.scriptClientSecret();
  }

  /** Where the script client's secret is kept, or {@code null} when the environment set it. */
  public @Nullable Path scriptClientSecretFile() {
    return data.scriptSecretFile();
  }

  /** The key id tokens are signed with (kept across restarts on one data directory). */
  public String keyId() {
    return data.signingKey().getKeyID();
  }

  /** Stops the server. */
  @Override
  public void close() {
    context.close();
  }

  private static String issuer(AuthSettings settings) {
    String issuer = settings.issuer();
    if (issuer == null) {
      throw new IllegalStateException("a started server has an issuer");
    }
    return issuer;
  }

  /** The hint at start-up: never the secret itself, only where it is. */
  private void logWhatANewcomerNeeds() {
    Path secretFile = data.scriptSecretFile();
    log.info(
        "local authorization server ready: issuer {}, JWK set {}, token endpoint {}",
        issuer(),
        jwkSetUri(),
        tokenUri());
    log.info(
        "signing key {} ({} {})",
        keyId(),
        data.keyGenerated() ? "generated in" : "reused from",
        settings.dataDirectory().resolve(AuthData.SIGNING_KEY_FILE));
    log.info(
        "client {}: client credentials; its secret is {}",
        SCRIPT_CLIENT_ID,
        secretFile == null
            ? "the one " + AuthSettings.SCRIPT_CLIENT_SECRET + " sets"
            : "in " + secretFile);
    log.info(
        "client {}: authorization code with PKCE (S256), redirect URIs {}; its login page at {}/login"
            + " accepts any user name (no password)",
        APP_CLIENT_ID,
        settings.redirectUris(),
        issuer());
  }

  /**
   * The Spring application: only the auto-configurations named here, so that nothing of the
   * services (their auto-configuration, WebFlux, Actuator) is picked up when their jars share the
   * class path.
   */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    PropertyPlaceholderAutoConfiguration.class,
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    HttpEncodingAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    JacksonAutoConfiguration.class,
    ErrorMvcAutoConfiguration.class,
    SecurityFilterAutoConfiguration.class
  })
  @Import(AuthorizationServerConfiguration.class)
  static class Application {}
}
