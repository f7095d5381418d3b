package dev.inboxpush.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.inboxpush.registration.RegistrationApplication;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real registration service, started in-process from its own application class on Reactor Netty
 * against dynalite, trusts the local authorization server with exactly the settings it has in
 * production: {@code issuer-uri} is the server's issuer, {@code jwk-set-uri} the {@code jwks_uri}
 * its discovery document names. Tokens from both grants register devices; an ID token (the right
 * issuer and key, but not the {@code inboxpush} audience) and a token signed by another key are
 * refused with 401.
 */
class RegistrationServiceTrustIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @TempDir static Path data;

  static LocalAuthorizationServer server;
  static OAuthClient oauth;
  static ConfigurableApplicationContext registration;
  static URI registrations;

  @BeforeAll
  static void start() {
    server = LocalAuthorizationServer.start(AuthSettings.onFreePort(data));
    oauth = new OAuthClient(server);
    Map<String, Object> discovery = OAuthClient.json(oauth.get(server.discoveryUri()).body());

    Map<String, Object> properties =
        new HashMap<>(DynaliteProperties.forTable("local-auth", Dynalite.shared()));
    // This JVM holds Tomcat too (for the authorization server); the service's own jar and class
    // path, in production and in the local run, hold only Reactor Netty. Boot would configure both
    // for a reactive application, so Tomcat's reactive configurations are left out here.
    properties.put(
        "spring.autoconfigure.exclude",
        "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
            + "org.springframework.boot.tomcat.autoconfigure.actuate.web.server"
            + ".TomcatReactiveManagementContextAutoConfiguration");
    properties.put("server.port", "0");
    properties.put("management.server.port", "0");
    properties.put("inboxpush.registration.listener-base-url", "http://127.0.0.1:8082");
    properties.put("inboxpush.registration.owner-hash-key", "k".repeat(40));
    properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", discovery.get("issuer"));
    properties.put(
        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", discovery.get("jwks_uri"));
    // As command-line arguments: default properties would lose to application.yml's ${PORT:8081}.
    registration =
        new SpringApplicationBuilder(RegistrationApplication.class)
            .web(WebApplicationType.REACTIVE)
            .run(
                properties.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
    int port = ((WebServerApplicationContext) registration).getWebServer().getPort();
    registrations = URI.create("http://127.0.0.1:" + port + "/v1/registrations");
  }

  @AfterAll
  static void stop() {
    if (registration != null) {
      registration.close();
    }
    server.close();
  }

  @Test
  void theRegistrationServiceRunsOnItsProductionServer() {
    // As in production, whatever else this test's class path holds.
    assertThat(((WebServerApplicationContext) registration).getWebServer().getClass().getName())
        .contains("Netty");
  }

  @Test
  void aScriptsClientCredentialsTokenRegistersADevice() {
    HttpResponse<String> response = register(oauth.scriptToken(), apnsToken());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(OAuthClient.json(response.body()))
        .containsKey("registrationId")
        .containsEntry("region", "eu-west-1");
  }

  @Test
  void aSignedInUsersTokenRegistersADeviceAsThatUser() {
    String device = apnsToken();
    String alice = (String) oauth.userTokens("alice").get("access_token");
    String bob = (String) oauth.userTokens("bob").get("access_token");

    HttpResponse<String> first = register(alice, device);
    HttpResponse<String> again = register(alice, device);
    HttpResponse<String> otherUser = register(bob, device);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    // The same subject registering the same device again gets its registration back refreshed;
    // another subject (another name typed at the login page) is another owner.
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(OAuthClient.json(again.body()).get("registrationId"))
        .isEqualTo(OAuthClient.json(first.body()).get("registrationId"));
    assertThat(otherUser.statusCode()).as(otherUser.body()).isEqualTo(201);
  }

  @Test
  void anIdTokenWithoutTheAudienceIsRefused() throws Exception {
    String idToken = (String) oauth.userTokens("carol").get("id_token");
    SignedJWT parsed = SignedJWT.parse(idToken);
    // Issued by this server, signed with its key, naming a subject: only the audience is wrong.
    assertThat(parsed.getJWTClaimsSet().getIssuer()).isEqualTo(server.issuer());
    assertThat(parsed.getHeader().getKeyID()).isEqualTo(server.keyId());
    assertThat(parsed.getJWTClaimsSet().getAudience())
        .doesNotContain(LocalAuthorizationServer.AUDIENCE);

    HttpResponse<String> response = register(idToken, apnsToken());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefused() throws Exception {
    // The claims and key id of a real token, signed by a key the server does not publish.
    SignedJWT real = SignedJWT.parse(oauth.scriptToken());
    RSAKey other = new RSAKeyGenerator(2048).keyID(server.keyId()).generate();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(server.keyId()).build(),
            real.getJWTClaimsSet());
    forged.sign(new RSASSASigner(other));

    HttpResponse<String> response = register(forged.serialize(), apnsToken());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(register(real.serialize(), apnsToken()).statusCode())
        .as("the real token it was copied from")
        .isEqualTo(201);
  }

  private static String apnsToken() {
    return UUID.randomUUID().toString().replace("-", "")
        + UUID.randomUUID().toString().replace("-", "");
  }

  private static HttpResponse<String> register(String bearer, String deviceToken) {
    String body =
        """
        {"platform": "apns", "appId": "com.example.mail", "apnsEnvironment": "production",
         "deviceToken": "%s"}
        """
            .formatted(deviceToken);
    HttpRequest request =
        HttpRequest.newBuilder(registrations)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
