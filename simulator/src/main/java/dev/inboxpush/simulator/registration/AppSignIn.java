package dev.inboxpush.simulator.registration;

import java.io.IOException;
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
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's access token as the mobile app gets it from the local OAuth2 authorization server: the
 * authorization code flow with PKCE ({@code S256}) for the public client {@value #CLIENT_ID}, the
 * login form filled in with the user name (the local server accepts any), the code taken from the
 * redirect to a loopback URI and exchanged. Each user is another owner at the registration API, so
 * that several accounts can register the same device token.
 *
 * <p>Blocking; thread-safe (one cookie jar per sign-in). Fails with {@link IllegalStateException}
 * naming the step that did not answer as expected; never prints a token or a code.
 */
public final class AppSignIn {

  /** The app's client at the local authorization server. */
  public static final String CLIENT_ID = "inboxpush-app";

  /** The local server's default redirect URI (a loopback URI: any port matches). */
  public static final String REDIRECT_URI = "http://127.0.0.1/callback";

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CSRF =
      Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

  private final URI issuer;

  /**
   * @param issuer the authorization server's base URL, e.g. {@code http://127.0.0.1:9000}
   */
  public AppSignIn(URI issuer) {
    this.issuer = issuer;
  }

  /** Signs {@code userName} in and returns its access token. */
  public String accessToken(String userName) {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();
    String verifier = randomVerifier();
    String state = UUID.randomUUID().toString();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("response_type", "code");
    parameters.put("client_id", CLIENT_ID);
    parameters.put("redirect_uri", REDIRECT_URI);
    parameters.put("scope", "openid");
    parameters.put("state", state);
    parameters.put("code_challenge", challenge(verifier));
    parameters.put("code_challenge_method", "S256");
    URI authorize = issuer.resolve("/oauth2/authorize?" + form(parameters));

    URI login = redirect(browser, authorize, "the authorization request");
    HttpResponse<String> page = send(browser, get(login));
    Matcher csrf = CSRF.matcher(page.body());
    if (page.statusCode() != 200 || !csrf.find()) {
      throw new IllegalStateException(
          "the login page " + login + " answered " + page.statusCode() + " without a login form");
    }
    HttpResponse<String> signedIn =
        send(
            browser,
            post(login, form(Map.of("username", userName, "_csrf", csrf.group(1))))
                .header("Accept", "text/html"));
    URI back = location(login, signedIn, "the login form");
    URI callback = redirect(browser, back, "the authorization request after signing in");
    Map<String, String> query = query(callback);
    if (!state.equals(query.get("state")) || !query.containsKey("code")) {
      throw new IllegalStateException("the redirect after signing in carries no code");
    }
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", query.get("code"));
    exchange.put("redirect_uri", REDIRECT_URI);
    exchange.put("client_id", CLIENT_ID);
    exchange.put("code_verifier", verifier);
    HttpResponse<String> tokens =
        send(browser, post(issuer.resolve("/oauth2/token"), form(exchange)));
    if (tokens.statusCode() != 200) {
      throw new IllegalStateException(
          "the token endpoint answered the code exchange with " + tokens.statusCode());
    }
    JsonNode json = JSON.readTree(tokens.body());
    String token = json.path("access_token").asString("");
    if (token.isEmpty()) {
      throw new IllegalStateException("the token endpoint's answer has no access_token");
    }
    return token;
  }

  private static URI redirect(HttpClient browser, URI uri, String step) {
    return location(uri, send(browser, get(uri)), step);
  }

  private static URI location(URI base, HttpResponse<String> response, String step) {
    if (response.statusCode() != 302 && response.statusCode() != 303) {
      throw new IllegalStateException(
          step + " answered " + response.statusCode() + ", not a redirect");
    }
    return base.resolve(
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException(step + ": a redirect without Location")));
  }

  private static HttpRequest.Builder get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html").GET();
  }

  private static HttpRequest.Builder post(URI uri, String form) {
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the authorization server did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signing in", e);
    }
  }

  private static String randomVerifier() {
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

  static String form(Map<String, String> values) {
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
    String raw = uri.getRawQuery();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }
}
