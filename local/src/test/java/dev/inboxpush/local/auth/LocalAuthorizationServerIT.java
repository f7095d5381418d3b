package dev.inboxpush.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local authorization server over real HTTP, on a free port with a temporary data directory:
 * discovery, both grants, the audience, the refusals, and a restart on the same data directory.
 */
class LocalAuthorizationServerIT {

  @TempDir static Path data;

  static LocalAuthorizationServer server;
  static OAuthClient client;

  @BeforeAll
  static void start() {
    server = LocalAuthorizationServer.start(AuthSettings.onFreePort(data));
    client = new OAuthClient(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void itRunsBesideTheServicesWithoutTheirConfiguration() throws Exception {
    // The services' shared auto-configuration is on this class path (the registration service's
    // jar and its dependencies). Picked up, it would have stopped start-up: no inboxpush.region.
    assertThat(Class.forName("dev.inboxpush.autoconfigure.CoreAutoConfiguration")).isNotNull();
    // Nor is Actuator, which is on the class path too.
    assertThat(client.get(URI.create(server.issuer() + "/actuator/health")).statusCode())
        .isNotEqualTo(200);
  }

  @Test
  void theDiscoveryDocumentNamesTheIssuerAndTheJwkSet() {
    assertThat(server.issuer()).isEqualTo("http://127.0.0.1:" + server.port());
    for (String path :
        List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
      HttpResponse<String> response = client.get(URI.create(server.issuer() + path));

      assertThat(response.statusCode()).as(path).isEqualTo(200);
      Map<String, Object> metadata = OAuthClient.json(response.body());
      assertThat(metadata)
          .as(path)
          .containsEntry("issuer", server.issuer())
          .containsEntry("jwks_uri", server.jwkSetUri().toString())
          .containsEntry("token_endpoint", server.tokenUri().toString())
          .containsEntry("authorization_endpoint", server.authorizationUri().toString());
      assertThat(metadata.get("grant_types_supported"))
          .as(path)
          .isEqualTo(List.of("authorization_code", "client_credentials"));
      assertThat(metadata.get("code_challenge_methods_supported"))
          .as(path)
          .isEqualTo(List.of("S256"));
    }
  }

  @Test
  void aClientCredentialsTokenNamesTheAudienceAndTheClientAndVerifiesAgainstTheJwkSet()
      throws Exception {
    SignedJWT token = SignedJWT.parse(client.scriptToken());

    assertThat(token.getJWTClaimsSet().getAudience())
        .contains(LocalAuthorizationServer.AUDIENCE, LocalAuthorizationServer.SCRIPT_CLIENT_ID);
    assertThat(token.getJWTClaimsSet().getSubject())
        .isEqualTo(LocalAuthorizationServer.SCRIPT_CLIENT_ID);
    assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(server.issuer());
    assertThat(token.getHeader().getKeyID()).isEqualTo(server.keyId());
    assertThat(token.verify(verifierFrom(server, token.getHeader().getKeyID()))).isTrue();
  }

  @Test
  void theSecretCanAlsoBeSentInTheForm() {
    HttpResponse<String> response =
        client.tokenRequestWithoutBasic(
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                LocalAuthorizationServer.SCRIPT_CLIENT_ID,
                "client_secret",
                server.scriptClientSecret()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void theSecretIsKeptInTheDataDirectory() throws Exception {
    assertThat(server.scriptClientSecretFile())
        .isEqualTo(data.resolve(AuthData.SCRIPT_SECRET_FILE));
    assertThat(Files.readString(data.resolve(AuthData.SCRIPT_SECRET_FILE)).strip())
        .isEqualTo(server.scriptClientSecret());
  }

  @Test
  void theCodeFlowWithPkceGivesATokenWhoseSubjectIsTheNameTyped() throws Exception {
    String name = "alice+" + UUID.randomUUID() + "@example.com";
    Map<String, Object> tokens = client.userTokens(name);

    SignedJWT access = SignedJWT.parse((String) tokens.get("access_token"));
    assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo(name);
    assertThat(access.getJWTClaimsSet().getAudience())
        .contains(LocalAuthorizationServer.AUDIENCE, LocalAuthorizationServer.APP_CLIENT_ID);
    assertThat(access.getJWTClaimsSet().getIssuer()).isEqualTo(server.issuer());
    assertThat(access.verify(verifierFrom(server, access.getHeader().getKeyID()))).isTrue();
    // A public client gets no refresh token: the only grants are the two configured.
    assertThat(tokens).doesNotContainKey("refresh_token");

    SignedJWT id = SignedJWT.parse((String) tokens.get("id_token"));
    assertThat(id.getJWTClaimsSet().getSubject()).isEqualTo(name);
    assertThat(id.getJWTClaimsSet().getAudience())
        .containsExactly(LocalAuthorizationServer.APP_CLIENT_ID);
  }

  @Test
  void twoNamesAreTwoSubjects() throws Exception {
    String first = (String) client.userTokens("bob").get("access_token");
    String second = (String) client.userTokens("carol").get("access_token");

    assertThat(SignedJWT.parse(first).getJWTClaimsSet().getSubject()).isEqualTo("bob");
    assertThat(SignedJWT.parse(second).getJWTClaimsSet().getSubject()).isEqualTo("carol");
  }

  @Test
  void aWrongClientSecretGets401() {
    HttpResponse<String> response =
        client.clientCredentials(LocalAuthorizationServer.SCRIPT_CLIENT_ID, "not-the-secret");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(OAuthClient.json(response.body())).containsEntry("error", "invalid_client");
  }

  @Test
  void aCodeExchangeWithAWrongVerifierGets400InvalidGrant() {
    OAuthClient.Code code = client.signIn("mallory");

    HttpResponse<String> response = client.exchange(code.code(), OAuthClient.randomVerifier());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(OAuthClient.json(response.body())).containsEntry("error", "invalid_grant");
  }

  @Test
  void aCodeIsGoodForOneExchangeOnly() {
    OAuthClient.Code code = client.signIn("dave");
    assertThat(client.exchange(code.code(), code.verifier()).statusCode()).isEqualTo(200);

    HttpResponse<String> again = client.exchange(code.code(), code.verifier());

    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(OAuthClient.json(again.body())).containsEntry("error", "invalid_grant");
  }

  /**
   * The two grants are the only ones the token endpoint knows: the others Spring Authorization
   * Server implements (refresh, token exchange, device code) are refused as unsupported, like the
   * ones it never had, even with a real token as the subject of an exchange.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "password",
        "implicit",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:token-exchange",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:saml2-bearer",
        "made-up"
      })
  void anyOtherGrantIsRefusedAsUnsupported(String grantType) {
    HttpResponse<String> response =
        client.tokenRequest(
            Map.of(
                "grant_type", grantType,
                "username", "alice",
                "password", "x",
                "code", "x",
                "refresh_token", "x",
                "device_code", "x",
                "subject_token", client.scriptToken(),
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(OAuthClient.json(response.body())).containsEntry("error", "unsupported_grant_type");
  }

  @Test
  void aCodeIssuedToTheAppIsUselessToTheScriptClient() {
    OAuthClient.Code code = client.signIn("erin");

    HttpResponse<String> response =
        client.tokenRequest(
            Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code.code(),
                "redirect_uri",
                OAuthClient.REDIRECT_URI,
                "code_verifier",
                code.verifier()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(OAuthClient.json(response.body())).containsEntry("error", "invalid_grant");
  }

  @Test
  void theAppClientCannotUseClientCredentials() {
    HttpResponse<String> response =
        client.tokenRequestWithoutBasic(
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                LocalAuthorizationServer.APP_CLIENT_ID));

    // A public client authenticates only with a code verifier: here it is not authenticated.
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
  }

  @Test
  void aRestartOnTheSameDataDirectoryKeepsTheKeyAndTheSecret(@TempDir Path restartData)
      throws Exception {
    String keyId;
    String secret;
    SignedJWT token;
    int port;
    try (LocalAuthorizationServer first =
        LocalAuthorizationServer.start(AuthSettings.onFreePort(restartData))) {
      keyId = first.keyId();
      secret = first.scriptClientSecret();
      token = SignedJWT.parse(new OAuthClient(first).scriptToken());
      port = first.port();
    }

    AuthSettings samePort =
        new AuthSettings(
            java.net.InetAddress.getLoopbackAddress(),
            port,
            null,
            restartData,
            List.of(AuthSettings.DEFAULT_REDIRECT_URI),
            null);
    try (LocalAuthorizationServer second = LocalAuthorizationServer.start(samePort)) {
      assertThat(second.keyId()).isEqualTo(keyId);
      assertThat(second.scriptClientSecret()).isEqualTo(secret);
      assertThat(second.issuer()).isEqualTo(token.getJWTClaimsSet().getIssuer());
      assertThat(token.verify(verifierFrom(second, keyId)))
          .as("a token of the first run verifies against the second run's JWK set")
          .isTrue();
      assertThat(
              new OAuthClient(second)
                  .clientCredentials(LocalAuthorizationServer.SCRIPT_CLIENT_ID, secret)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  /** The served JWK set's key {@code keyId}, fetched over HTTP. */
  static JWSVerifier verifierFrom(LocalAuthorizationServer server, String keyId) throws Exception {
    HttpResponse<String> response = new OAuthClient(server).get(server.jwkSetUri());
    assertThat(response.statusCode()).isEqualTo(200);
    JWKSet keys = JWKSet.parse(response.body());
    assertThat(keys.getKeys()).hasSize(1);
    RSAKey key = (RSAKey) keys.getKeyByKeyId(keyId);
    assertThat(key).as("key %s in the JWK set", keyId).isNotNull();
    assertThat(key.isPrivate()).isFalse();
    return new RSASSAVerifier(key);
  }
}
