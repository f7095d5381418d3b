package dev.inboxpush.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an app or a script does against the local authorization server, over real HTTP with the
 * JDK's client: the client-credentials grant, and the authorization-code flow with PKCE as a
 * browser drives it (authorize, login form with its CSRF token and session cookie, redirect with
 * the code, code exchange). No redirect is followed automatically: each step is checked.
 */
final class OAuthClient {

  /** A redirect URI of the app client: loopback, so any port is accepted. */
  static final String REDIRECT_URI = "http://127.0.0.1:53682/callback";

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern CSRF =
      Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

  /** Requests outside a browser session; never follows redirects. */
  private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private final LocalAuthorizationServer server;

  OAuthClient(LocalAuthorizationServer server) {
    this.server = server;
  }

  /** A client-credentials token request with HTTP Basic authentication. */
  HttpResponse<String> clientCredentials(String clientId, String secret) {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return post(
        PLAIN,
        server.tokenUri(),
        Map.of("grant_type", "client_credentials"),
        Map.of("Authorization", "Basic " + basic));
  }

  /** A token request with any form, authenticated as the script client. */
  HttpResponse<String> tokenRequest(Map<String, String> form) {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (LocalAuthorizationServer.SCRIPT_CLIENT_ID + ":" + server.scriptClientSecret())
                    .getBytes(StandardCharsets.UTF_8));
    return post(PLAIN, server.tokenUri(), form, Map.of("Authorization", "Basic " + basic));
  }

  /** A token request with any form and no Authorization header. */
  HttpResponse<String> tokenRequestWithoutBasic(Map<String, String> form) {
    return post(PLAIN, server.tokenUri(), form, Map.of());
  }

  /** The access token of a successful client-credentials request for the script client. */
  String scriptToken() {
    HttpResponse<String> response =
        clientCredentials(LocalAuthorizationServer.SCRIPT_CLIENT_ID, server.scriptClientSecret());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return (String) json(response.body()).get("access_token");
  }

  /** A code and its verifier, as the redirect delivered them. */
  record Code(String code, String verifier) {}

  /**
   * The browser's part of the PKCE flow: authorize, sign in as {@code userName}, and take the code
   * from the redirect to {@link #REDIRECT_URI}.
   */
  Code signIn(String userName) {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();
    String verifier = randomVerifier();
    String state = UUID.randomUUID().toString();
    URI authorize =
        URI.create(
            server.authorizationUri()
                + "?"
                + form(
                    Map.of(
                        "response_type",
                        "code",
                        "client_id",
                        LocalAuthorizationServer.APP_CLIENT_ID,
                        "redirect_uri",
                        REDIRECT_URI,
                        "scope",
                        "openid",
                        "state",
                        state,
                        "code_challenge",
                        challenge(verifier),
                        "code_challenge_method",
                        "S256")));

    HttpResponse<String> toLogin = get(browser, authorize);
    assertThat(toLogin.statusCode()).as(toLogin.body()).isEqualTo(302);
    URI login = location(authorize, toLogin);
    assertThat(login.getPath()).isEqualTo("/login");

    HttpResponse<String> page = get(browser, login);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("any user name");
    Matcher csrf = CSRF.matcher(page.body());
    assertThat(csrf.find()).as("a CSRF token in the login form").isTrue();

    HttpResponse<String> signedIn =
        post(browser, login, Map.of("username", userName, "_csrf", csrf.group(1)), Map.of());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    URI back = location(login, signedIn);
    assertThat(back.getPath())
        .as("back to the authorization request")
        .isEqualTo("/oauth2/authorize");

    HttpResponse<String> redirect = get(browser, back);
    assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
    URI callback = location(back, redirect);
    assertThat(callback.toString()).startsWith(REDIRECT_URI + "?");
    Map<String, String> query = query(callback);
    assertThat(query).containsEntry("state", state).containsKey("code");
    return new Code(query.get("code"), verifier);
  }

  /** The app's code exchange: public client, no secret, the verifier proves it started the flow. */
  HttpResponse<String> exchange(String code, String verifier) {
    return post(
        PLAIN,
        server.tokenUri(),
        Map.of(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", REDIRECT_URI,
            "client_id", LocalAuthorizationServer.APP_CLIENT_ID,
            "code_verifier", verifier),
        Map.of());
  }

  /** The token response of a signed-in user's successful flow. */
  Map<String, Object> userTokens(String userName) {
    Code code = signIn(userName);
    HttpResponse<String> response = exchange(code.code(), code.verifier());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body());
  }

  HttpResponse<String> get(URI uri) {
    return get(PLAIN, uri);
  }

  static Map<String, Object> json(String body) {
    try {
      return JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw new AssertionError("not a JSON object: " + body, e);
    }
  }

  static String randomVerifier() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) {
    return send(
        client, HttpRequest.newBuilder(uri).header("Accept", "text/html").timeout(TIMEOUT).GET());
  }

  private static HttpResponse<String> post(
      HttpClient client, URI uri, Map<String, String> form, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(form)));
    headers.forEach(request::header);
    return send(client, request);
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static URI location(URI base, HttpResponse<?> response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new AssertionError("no Location header"));
    return base.resolve(location);
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(
            entry ->
                URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      values.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return values;
  }
}
