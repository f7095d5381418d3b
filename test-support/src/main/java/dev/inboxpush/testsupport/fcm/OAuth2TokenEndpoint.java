package dev.inboxpush.testsupport.fcm;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake's {@code POST} {@value FakeFcmServer#TOKEN_PATH}: Google's token endpoint for service
 * accounts (the JWT bearer grant of RFC 7523), with the rules and answers {@link FakeFcmServer}
 * documents. It keeps the registered accounts, the access tokens it issued (which {@link
 * FcmSendEndpoint} asks about through {@link #honours}), and the record of what it issued and
 * refused.
 *
 * <p>Lifecycle: registrations and issued tokens live as long as the server; {@link #forgetRecord()}
 * clears only the record of issued and refused tokens; {@link #revokeIssuedTokens()} makes the
 * issued tokens unacceptable.
 *
 * <p>Threading: the event loop grants while tests register, revoke and read; all state is in
 * concurrent collections, and nothing blocks.
 *
 * <p>Failure: a refused grant is data, answered {@code 400} (or {@code 405} for another method)
 * with Google's OAuth2 error body and recorded as {@code "<error>: <error_description>"}.
 */
final class OAuth2TokenEndpoint {

  // How far in the future an assertion's iat may be: clock skew.
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String tokenUri;
  private final Map<String, FakeServiceAccount> accountsByEmail = new ConcurrentHashMap<>();
  private final Map<String, FakeServiceAccount> accountsByKeyId = new ConcurrentHashMap<>();
  // Every access token issued and not revoked, with its expiry.
  private final Map<String, Instant> issuedTokens = new ConcurrentHashMap<>();
  // The tokens issued since start or the last reset, in order.
  private final ConcurrentLinkedQueue<String> issuedSinceReset = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
  private final SecureRandom tokenRandom = new SecureRandom();

  /** An endpoint that also accepts {@code tokenUri} as an assertion's audience. */
  OAuth2TokenEndpoint(String tokenUri) {
    this.tokenUri = tokenUri;
  }

  /** Registers {@code account}, replacing one with the same email or key id. */
  void register(FakeServiceAccount account) {
    FakeServiceAccount previous = accountsByEmail.put(account.clientEmail(), account);
    if (previous != null) {
      accountsByKeyId.remove(previous.privateKeyId(), previous);
    }
    accountsByKeyId.put(account.privateKeyId(), account);
  }

  /** Whether {@code accessToken} was issued here, not revoked, and has not expired. */
  boolean honours(String accessToken) {
    Instant expiry = issuedTokens.get(accessToken);
    return expiry != null && Instant.now().isBefore(expiry);
  }

  List<String> issuedAccessTokens() {
    return List.copyOf(issuedSinceReset);
  }

  int tokensIssued() {
    return issuedSinceReset.size();
  }

  List<String> refusals() {
    return List.copyOf(refusals);
  }

  void revokeIssuedTokens() {
    issuedTokens.clear();
  }

  /** Forgets which tokens were issued and refused; the issued tokens stay valid. */
  void forgetRecord() {
    issuedSinceReset.clear();
    refusals.clear();
  }

  Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    return HttpAnswer.judge(request, this::grant)
        .flatMap(
            answer -> {
              response.header("cache-control", "no-cache, no-store, max-age=0, must-revalidate");
              return answer.writeTo(response);
            });
  }

  private HttpAnswer grant(HttpServerRequest request, String body) {
    if (!"POST".equals(request.method().name())) {
      return refuse(405, "invalid_request", "The token endpoint only answers POST.");
    }
    Map<String, String> form = form(body);
    String grantType = form.get("grant_type");
    if (!FakeFcmServer.JWT_BEARER_GRANT.equals(grantType)) {
      return refuse(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
    }
    String assertion = form.get("assertion");
    if (assertion == null || assertion.isBlank()) {
      return refuse(400, "invalid_request", "Missing required parameter: assertion");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(assertion);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return invalidGrant("Invalid JWT: not a signed JWT.");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return invalidGrant("Invalid JWT: the signature algorithm must be RS256.");
    }
    String keyId = jwt.getHeader().getKeyID();
    String issuer = claims.getIssuer();
    FakeServiceAccount account = keyId == null ? null : accountsByKeyId.get(keyId);
    if (account == null && issuer != null) {
      account = accountsByEmail.get(issuer);
    }
    if (account == null) {
      return invalidGrant("Invalid grant: account not found");
    }
    if (!account.clientEmail().equals(issuer)) {
      return invalidGrant("Invalid JWT: the issuer is not the owner of key " + keyId + ".");
    }
    try {
      if (!jwt.verify(new RSASSAVerifier(account.publicKey()))) {
        return invalidGrant("Invalid JWT Signature.");
      }
    } catch (JOSEException e) {
      return invalidGrant("Invalid JWT Signature.");
    }
    List<String> audience = claims.getAudience();
    if (audience.size() != 1
        || !(audience.contains(FakeFcmServer.GOOGLE_TOKEN_AUDIENCE)
            || audience.contains(tokenUri))) {
      return invalidGrant("Invalid JWT: Failed audience check.");
    }
    Instant now = Instant.now();
    Date issuedAt = claims.getIssueTime();
    Date expiresAt = claims.getExpirationTime();
    if (issuedAt == null
        || expiresAt == null
        || !expiresAt.toInstant().isAfter(now)
        || issuedAt.toInstant().isAfter(now.plus(CLOCK_SKEW))
        || !expiresAt.after(issuedAt)
        || Duration.between(issuedAt.toInstant(), expiresAt.toInstant())
                .compareTo(FakeFcmServer.MAX_TOKEN_LIFETIME)
            > 0) {
      return invalidGrant(
          "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
              + " timeframe. Check your iat and exp values in the JWT claim.");
    }
    long lifetime = Duration.between(issuedAt.toInstant(), expiresAt.toInstant()).toSeconds();
    return HttpAnswer.ok(JSON.writeValueAsString(issue(now, lifetime)));
  }

  private Map<String, Object> issue(Instant now, long lifetime) {
    byte[] random = new byte[32];
    tokenRandom.nextBytes(random);
    String token = "ya29.fake-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    issuedTokens.put(token, now.plusSeconds(lifetime));
    issuedSinceReset.add(token);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", token);
    answer.put("expires_in", lifetime);
    answer.put("token_type", "Bearer");
    return answer;
  }

  private HttpAnswer invalidGrant(String description) {
    return refuse(400, "invalid_grant", description);
  }

  private HttpAnswer refuse(int status, String error, String description) {
    refusals.add(error + ": " + description);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return new HttpAnswer(
        status, "application/json; charset=utf-8", JSON.writeValueAsString(body), null, error);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      form.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }
}
