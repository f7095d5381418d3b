package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OAuth2 token endpoint and run-time service accounts: the file google-auth reads, the
 * production path of {@code ServiceAccountCredentials} through the fake, a revoked token replaced
 * after a 401, unknown and tampered keys, and each rule an assertion must meet.
 */
class FakeFcmServerTokenEndpointIT extends FakeFcmServerITSupport {

  @Test
  void writesAServiceAccountFileLikeGooglesWithoutShowingTheKey() throws Exception {
    FakeServiceAccount account = server.newServiceAccount("sa-file-project");

    JsonNode file = JSON.readTree(account.json());
    assertThat(file.path("type").asString()).isEqualTo("service_account");
    assertThat(file.path("project_id").asString()).isEqualTo("sa-file-project");
    assertThat(file.path("private_key_id").asString()).isEqualTo(account.privateKeyId());
    assertThat(file.path("private_key").asString())
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("\n-----END PRIVATE KEY-----\n");
    assertThat(file.path("client_email").asString())
        .isEqualTo(account.clientEmail())
        .matches("fcm-test-[0-9a-f]{6}@sa-file-project\\.iam\\.gserviceaccount\\.com");
    assertThat(file.path("client_id").asString()).isEqualTo(account.clientId()).matches("\\d+");
    assertThat(file.path("token_uri").asString())
        .isEqualTo(server.tokenUri())
        .isEqualTo("https://fcm.googleapis.com/token");
    assertThat(file.path("auth_uri").asString())
        .isEqualTo("https://accounts.google.com/o/oauth2/auth");
    assertThat(account.toString()).doesNotContain("PRIVATE").doesNotContain("modulus");
    try (InputStream in = Files.newInputStream(account.file())) {
      ServiceAccountCredentials read = ServiceAccountCredentials.fromStream(in, transport);
      assertThat(read.getClientEmail()).isEqualTo(account.clientEmail());
      assertThat(read.getPrivateKeyId()).isEqualTo(account.privateKeyId());
      assertThat(read.getProjectId()).isEqualTo("sa-file-project");
      assertThat(read.getTokenServerUri()).isEqualTo(URI.create(server.tokenUri()));
      assertThat(read.getPrivateKey().getEncoded()).isEqualTo(account.privateKey().getEncoded());
    }
  }

  /**
   * The production path: credentials read from a service-account file, a JWT signed with its key
   * exchanged at its token_uri for an access token, that token presented to FCM; the project comes
   * from the file, as the app names none. The token is fetched once and reused.
   */
  @Test
  void sendsWithServiceAccountCredentialsReadFromTheFile() throws Exception {
    FakeServiceAccount account = server.newServiceAccount("sa-project");
    GoogleCredentials credentials;
    try (InputStream in = Files.newInputStream(account.file())) {
      credentials = GoogleCredentials.fromStream(in, () -> transport.httpTransport());
    }
    assertThat(credentials).isInstanceOf(ServiceAccountCredentials.class);
    FirebaseApp serviceApp = serviceAccountApp(credentials, "fake-fcm-it-service-account");
    try {
      FirebaseMessaging client = FirebaseMessaging.getInstance(serviceApp);

      String name = send(client, badge("token-sa-1"));

      assertThat(name).startsWith("projects/sa-project/messages/");
      assertThat(server.tokensIssued()).isEqualTo(1);
      assertThat(server.tokenRefusals()).isEmpty();
      String issued = server.issuedAccessTokens().get(0);
      assertThat(issued).isNotEqualTo(server.acceptedAccessToken());
      assertThat(server.requests())
          .singleElement()
          .satisfies(
              request -> {
                assertThat(request.header("authorization")).isEqualTo("Bearer " + issued);
                assertThat(request.project()).isEqualTo("sa-project");
                assertThat(request.status()).isEqualTo(200);
              });

      send(client, badge("token-sa-2"));

      assertThat(server.tokensIssued()).isEqualTo(1);
      assertThat(server.requests())
          .extracting(request -> request.header("authorization"))
          .containsExactly("Bearer " + issued, "Bearer " + issued);
    } finally {
      serviceApp.delete();
    }
  }

  /** A 401 makes google-auth fetch a new token from the endpoint and send again, once. */
  @Test
  void aRevokedTokenIsReplacedByGoogleAuthAfterA401() throws Exception {
    FakeServiceAccount account = server.newServiceAccount(PROJECT);
    FirebaseApp serviceApp =
        serviceAccountApp(credentialsFrom(account.file()), "fake-fcm-it-revoked");
    try {
      FirebaseMessaging client = FirebaseMessaging.getInstance(serviceApp);
      send(client, badge("token-before"));
      server.revokeIssuedTokens();

      send(client, badge("token-after"));

      List<String> issued = server.issuedAccessTokens();
      assertThat(issued).hasSize(2).doesNotHaveDuplicates();
      assertThat(server.requests())
          .extracting(FcmRequest::status, request -> request.header("authorization"))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(200, "Bearer " + issued.get(0)),
              org.assertj.core.groups.Tuple.tuple(401, "Bearer " + issued.get(0)),
              org.assertj.core.groups.Tuple.tuple(200, "Bearer " + issued.get(1)));
    } finally {
      serviceApp.delete();
    }
  }

  /**
   * A key the fake does not know: google-auth gets invalid_grant, does not retry a 400, and the
   * send fails before any FCM request.
   */
  @Test
  void anUnregisteredKeyGetsInvalidGrantAndTheSendFails() throws Exception {
    FakeServiceAccount stranger = FakeServiceAccount.generate(PROJECT, server.tokenUri());

    FirebaseMessagingException e = sendWithFailingCredentials(stranger.file(), "unregistered");

    assertThat(server.tokenRefusals())
        .containsExactly("invalid_grant: Invalid grant: account not found");
    assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(e.getMessagingErrorCode()).isNull();
    assertThat(e.getHttpResponse()).isNull();
    assertThat(e).hasMessageContaining("invalid_grant");
    assertThat(e.getCause()).hasMessageContaining("Invalid grant: account not found");
  }

  /** A file naming a registered account but holding another key: the signature does not verify. */
  @Test
  void aTamperedKeyGetsInvalidGrantAndTheSendFails() throws Exception {
    FakeServiceAccount registered = server.newServiceAccount(PROJECT);
    FakeServiceAccount stranger = FakeServiceAccount.generate(PROJECT, server.tokenUri());
    ObjectNode tampered = (ObjectNode) JSON.readTree(registered.json());
    tampered.put("private_key", JSON.readTree(stranger.json()).path("private_key").asString());
    Path file = Files.createTempFile("tampered-service-account-", ".json");
    try {
      Files.writeString(file, JSON.writeValueAsString(tampered));

      FirebaseMessagingException e = sendWithFailingCredentials(file, "tampered");

      assertThat(server.tokenRefusals()).containsExactly("invalid_grant: Invalid JWT Signature.");
      assertThat(e.getCause()).hasMessageContaining("Invalid JWT Signature.");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** What the token endpoint refuses, each next to the assertion it accepts. */
  enum Assertion {
    VALID(UnaryOperator.identity(), null),
    // What google-auth sends, whatever the token_uri of the file.
    VALID_FOR_GOOGLES_AUDIENCE(
        claims ->
            new JWTClaimsSet.Builder(claims).audience(FakeFcmServer.GOOGLE_TOKEN_AUDIENCE).build(),
        null),
    EXPIRED(
        claims ->
            new JWTClaimsSet.Builder(claims)
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                .build(),
        "invalid_grant: Invalid JWT: Token must be a short-lived token"),
    LONGER_THAN_AN_HOUR(
        claims ->
            new JWTClaimsSet.Builder(claims)
                .expirationTime(Date.from(Instant.now().plusSeconds(7200)))
                .build(),
        "invalid_grant: Invalid JWT: Token must be a short-lived token"),
    WRONG_AUDIENCE(
        claims ->
            new JWTClaimsSet.Builder(claims).audience("https://accounts.example.com/token").build(),
        "invalid_grant: Invalid JWT: Failed audience check."),
    OTHER_ISSUER(
        claims -> new JWTClaimsSet.Builder(claims).issuer("someone@else.example").build(),
        "invalid_grant: Invalid JWT: the issuer is not the owner of key"),
    HMAC_SIGNED(UnaryOperator.identity(), "invalid_grant: Invalid JWT: the signature algorithm"),
    WRONG_GRANT_TYPE(UnaryOperator.identity(), "unsupported_grant_type: Invalid grant_type");

    final UnaryOperator<JWTClaimsSet> claims;
    final @Nullable String refusal;

    Assertion(UnaryOperator<JWTClaimsSet> claims, @Nullable String refusal) {
      this.claims = claims;
      this.refusal = refusal;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Assertion.class)
  void theTokenEndpointJudgesTheAssertion(Assertion assertion) throws Exception {
    FakeServiceAccount account = server.newServiceAccount(PROJECT);
    Instant now = Instant.now();
    JWTClaimsSet claims =
        assertion.claims.apply(
            new JWTClaimsSet.Builder()
                .issuer(account.clientEmail())
                .audience(server.tokenUri())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("scope", "https://www.googleapis.com/auth/firebase.messaging")
                .build());
    JWSAlgorithm algorithm =
        assertion == Assertion.HMAC_SIGNED ? JWSAlgorithm.HS256 : JWSAlgorithm.RS256;
    JWSSigner signer =
        assertion == Assertion.HMAC_SIGNED
            ? new MACSigner(new byte[32])
            : new RSASSASigner(account.privateKey());
    String grantType =
        assertion == Assertion.WRONG_GRANT_TYPE
            ? "client_credentials"
            : FakeFcmServer.JWT_BEARER_GRANT;

    HttpResponse<String> response =
        postToken(
            "grant_type="
                + URLEncoder.encode(grantType, StandardCharsets.UTF_8)
                + "&assertion="
                + sign(claims, algorithm, account.privateKeyId(), signer));

    JsonNode body = JSON.readTree(response.body());
    if (assertion.refusal == null) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
      assertThat(body.path("expires_in").asInt()).isEqualTo(3600);
      String token = body.path("access_token").asString();
      assertThat(server.issuedAccessTokens()).containsExactly(token);
      assertThat(server.tokenRefusals()).isEmpty();
      assertThat(statusOfSendWith(token)).isEqualTo(200);
      server.revokeIssuedTokens();
      assertThat(statusOfSendWith(token)).isEqualTo(401);
    } else {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      String error = assertion.refusal.substring(0, assertion.refusal.indexOf(':'));
      assertThat(body.path("error").asString()).isEqualTo(error);
      assertThat(error + ": " + body.path("error_description").asString())
          .startsWith(assertion.refusal);
      assertThat(server.tokenRefusals()).singleElement().asString().startsWith(assertion.refusal);
      assertThat(server.tokensIssued()).isZero();
    }
    assertThat(server.received()).isEqualTo(assertion.refusal == null ? 2 : 0);
  }

  /**
   * {@link FakeFcmServer#reset()} reaches every part behind the facade: it forgets the scripts, the
   * rates, the latency and every record, and keeps the accounts registered and the tokens already
   * issued valid.
   */
  @Test
  void resetForgetsScriptsAndRecordsButKeepsAccountsAndIssuedTokens() throws Exception {
    FakeServiceAccount account = server.newServiceAccount(PROJECT);
    String issued = accessTokenFor(account);
    assertThat(postToken("grant_type=client_credentials").statusCode()).isEqualTo(400);
    server
        .failToken("t", FcmFailure.of(FcmErrorCode.INTERNAL))
        .failRandomly(FcmFailure.of(FcmErrorCode.UNAVAILABLE), 1.0);
    assertThat(statusOfSendWith(issued)).isEqualTo(500);
    // Longer than the client's timeout: a send after the reset would time out if it stayed.
    server.setLatency(TIMEOUT.multipliedBy(2));
    assertThat(server.tokensIssued()).isEqualTo(1);
    assertThat(server.tokenRefusals()).hasSize(1);
    assertThat(server.requests()).hasSize(1);

    server.reset();

    assertThat(server.tokensIssued()).isZero();
    assertThat(server.issuedAccessTokens()).isEmpty();
    assertThat(server.tokenRefusals()).isEmpty();
    assertThat(server.requests()).isEmpty();
    assertThat(server.received()).isZero();
    assertThat(server.accepted()).isZero();
    assertThat(server.rejections()).isEmpty();
    // Neither the script for "t" nor the random rate answers any more; the old token still works.
    assertThat(statusOfSendWith(issued)).isEqualTo(200);
    assertThat(accessTokenFor(account)).isNotEqualTo(issued);
    assertThat(server.issuedAccessTokens()).hasSize(1);
  }

  private static String sign(
      JWTClaimsSet claims, JWSAlgorithm algorithm, String keyId, JWSSigner signer)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private HttpResponse<String> postToken(String form) throws IOException, InterruptedException {
    return http2.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + FakeFcmServer.TOKEN_PATH))
            .timeout(TIMEOUT)
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int statusOfSendWith(String accessToken) throws Exception {
    return http2
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + SEND_PATH))
                .timeout(TIMEOUT)
                .header("authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"token\":\"t\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private GoogleCredentials credentialsFrom(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return GoogleCredentials.fromStream(in, transport);
    }
  }

  private String accessTokenFor(FakeServiceAccount account) throws IOException {
    return credentialsFrom(account.file())
        .createScoped("https://www.googleapis.com/auth/firebase.messaging")
        .refreshAccessToken()
        .getTokenValue();
  }

  private FirebaseApp serviceAccountApp(GoogleCredentials credentials, String name) {
    return FirebaseApp.initializeApp(
        FirebaseOptions.builder()
            .setCredentials(credentials)
            .setHttpTransport(transport.httpTransport())
            .build(),
        name);
  }

  private FirebaseMessagingException sendWithFailingCredentials(Path file, String name)
      throws IOException {
    FirebaseApp serviceApp = serviceAccountApp(credentialsFrom(file), "fake-fcm-it-" + name);
    try {
      FirebaseMessagingException e =
          sendFailing(FirebaseMessaging.getInstance(serviceApp), badge("token-" + name));
      assertThat(server.tokensIssued()).isZero();
      assertThat(server.received()).isZero();
      return e;
    } finally {
      serviceApp.delete();
    }
  }
}
