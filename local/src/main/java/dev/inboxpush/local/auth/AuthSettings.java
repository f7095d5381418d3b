package dev.inboxpush.local.auth;

import dev.inboxpush.local.EnvironmentValues;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The local authorization server's settings, read from environment variables only (the table in
 * {@link LocalAuthorizationServer}'s javadoc and the README). Validated when built: a bad value is
 * an {@link IllegalArgumentException} whose message names the variable and what it accepts.
 *
 * @param address where the server listens ({@value #ADDRESS}, default {@code 127.0.0.1})
 * @param port its port ({@value #PORT}, default {@value #DEFAULT_PORT}); 0 picks a free port at
 *     start
 * @param issuer the {@code iss} of every token and the name in the discovery document ({@value
 *     #ISSUER}); {@code null} until a port is known, then {@code http://<address>:<port>}
 * @param dataDirectory where the signing key and the script client's secret are kept ({@value
 *     #DATA_DIR}, default {@code .local/auth} under the working directory)
 * @param redirectUris the public PKCE client's redirect URIs ({@value #REDIRECT_URIS},
 *     comma-separated, default {@value #DEFAULT_REDIRECT_URI}); a loopback IP URI matches any port
 * @param scriptClientSecret the script client's secret when {@value #SCRIPT_CLIENT_SECRET} sets it;
 *     otherwise {@code null}, and the data directory keeps a generated one
 */
public record AuthSettings(
    InetAddress address,
    int port,
    @Nullable String issuer,
    Path dataDirectory,
    List<String> redirectUris,
    @Nullable String scriptClientSecret) {

  /** The port variable. */
  public static final String PORT = "LOCAL_AUTH_PORT";

  /** The bind address variable. */
  public static final String ADDRESS = "LOCAL_AUTH_ADDRESS";

  /** The issuer variable. */
  public static final String ISSUER = "LOCAL_AUTH_ISSUER";

  /** The data directory variable. */
  public static final String DATA_DIR = "LOCAL_AUTH_DATA_DIR";

  /** The redirect URIs variable. */
  public static final String REDIRECT_URIS = "LOCAL_AUTH_REDIRECT_URIS";

  /** The variable that sets the script client's secret instead of the generated one. */
  public static final String SCRIPT_CLIENT_SECRET = "LOCAL_AUTH_SCRIPT_CLIENT_SECRET";

  /** The port when {@value #PORT} is not set. */
  public static final int DEFAULT_PORT = 9000;

  /**
   * The redirect URI when {@value #REDIRECT_URIS} is not set: a loopback URI, which Spring
   * Authorization Server matches on any port (RFC 8252, section 7.3), so a native app or a person
   * with a browser can pick one.
   */
  public static final String DEFAULT_REDIRECT_URI = "http://127.0.0.1/callback";

  public AuthSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(PORT + ": must be 0 to 65535, was " + port);
    }
    if (issuer != null) {
      checkIssuer(issuer);
    }
    if (redirectUris.isEmpty()) {
      throw new IllegalArgumentException(REDIRECT_URIS + ": at least one redirect URI is needed");
    }
    redirectUris.forEach(AuthSettings::checkRedirectUri);
    redirectUris = List.copyOf(redirectUris);
    if (scriptClientSecret != null && scriptClientSecret.isBlank()) {
      throw new IllegalArgumentException(
          SCRIPT_CLIENT_SECRET + ": is blank; unset it to use the generated secret");
    }
  }

  /** Reads the variables above from {@code environment} (normally {@link System#getenv()}). */
  public static AuthSettings fromEnvironment(Map<String, String> environment) {
    return new AuthSettings(
        EnvironmentValues.address(
            ADDRESS, EnvironmentValues.value(environment, ADDRESS, "127.0.0.1")),
        EnvironmentValues.port(
            PORT, EnvironmentValues.value(environment, PORT, Integer.toString(DEFAULT_PORT))),
        EnvironmentValues.optional(environment, ISSUER),
        EnvironmentValues.path(
            DATA_DIR, EnvironmentValues.value(environment, DATA_DIR, ".local/auth")),
        redirectUris(EnvironmentValues.value(environment, REDIRECT_URIS, DEFAULT_REDIRECT_URI)),
        EnvironmentValues.optional(environment, SCRIPT_CLIENT_SECRET));
  }

  /**
   * The defaults on a free port with its data in {@code dataDirectory}: what tests and the local
   * stack start.
   */
  public static AuthSettings onFreePort(Path dataDirectory) {
    return new AuthSettings(
        InetAddress.getLoopbackAddress(),
        0,
        null,
        dataDirectory,
        List.of(DEFAULT_REDIRECT_URI),
        null);
  }

  /** These settings on {@code boundPort}, the issuer defaulted from it if it was not set. */
  public AuthSettings onPort(int boundPort) {
    String host =
        address.isAnyLocalAddress()
            ? "127.0.0.1"
            : address instanceof Inet6Address
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
    return new AuthSettings(
        address,
        boundPort,
        issuer != null ? issuer : "http://" + host + ":" + boundPort,
        dataDirectory,
        redirectUris,
        scriptClientSecret);
  }

  private static List<String> redirectUris(String value) {
    List<String> uris = new ArrayList<>();
    for (String uri : value.split(",")) {
      if (!uri.isBlank()) {
        uris.add(uri.trim());
      }
    }
    return uris;
  }

  private static void checkIssuer(String issuer) {
    URI uri = uri(ISSUER, issuer);
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || issuer.endsWith("/")) {
      throw new IllegalArgumentException(
          ISSUER
              + ": an http(s) URL without query, fragment or trailing slash, such as"
              + " http://127.0.0.1:9000 (the registration service compares it character by"
              + " character), was "
              + issuer);
    }
  }

  private static void checkRedirectUri(String redirectUri) {
    URI uri = uri(REDIRECT_URIS, redirectUri);
    if (!uri.isAbsolute() || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          REDIRECT_URIS + ": each must be an absolute URI without fragment, was " + redirectUri);
    }
    if ("localhost".equalsIgnoreCase(uri.getHost())) {
      // OAuth 2.1 and RFC 8252 (section 8.3) rule it out, and Spring Authorization Server refuses
      // it.
      throw new IllegalArgumentException(
          REDIRECT_URIS + ": use 127.0.0.1 instead of localhost, was " + redirectUri);
    }
  }

  private static URI uri(String variable, String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(variable + ": not a URI: " + value, e);
    }
  }
}
