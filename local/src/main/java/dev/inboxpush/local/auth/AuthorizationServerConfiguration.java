package dev.inboxpush.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The authorization server's beans, wired explicitly (Boot's authorization-server
 * auto-configuration is not used): two clients, the signing key from the data directory, the
 * issuer, the audience customizer, and two filter chains.
 *
 * <ol>
 *   <li>Spring Authorization Server's endpoints (authorize, token, JWK set, discovery, and the
 *       OpenID Connect ones: user info, logout). An unauthenticated browser at the authorization
 *       endpoint is sent to the login page.
 *   <li>Everything else: the login page (form login, CSRF-protected) and the error page; any other
 *       path needs a signed-in user and answers 404 then.
 * </ol>
 *
 * <p>Clients, authorizations and consents live in memory: a restart forgets issued authorization
 * codes and signed-in sessions, never the key or the script secret ({@link AuthData}). Access
 * tokens are JWTs valid for {@link #ACCESS_TOKEN_LIFETIME}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class AuthorizationServerConfiguration {

  /** How long an access token is valid: long enough for a walk-through with curl. */
  static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

  /** Listens where the settings say, whatever {@code server.*} keys the environment holds. */
  @Bean
  WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> bindWhereConfigured(
      AuthSettings settings) {
    return factory -> {
      factory.setAddress(settings.address());
      factory.setPort(settings.port());
    };
  }

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) throws Exception {
    http.oauth2AuthorizationServer(
            server -> {
              http.securityMatcher(server.getEndpointsMatcher());
              server
                  // The token endpoint understands these two grants and no other (refresh,
                  // token exchange and device code are refused as unsupported, whatever the
                  // client), and the metadata says so.
                  .tokenEndpoint(
                      token ->
                          token.accessTokenRequestConverters(
                              converters -> converters.removeIf(converter -> !isGrant(converter))))
                  .authorizationServerMetadataEndpoint(
                      metadata ->
                          metadata.authorizationServerMetadataCustomizer(
                              builder ->
                                  builder.grantTypes(
                                      AuthorizationServerConfiguration::onlyOurGrants)))
                  .oidc(
                      oidc ->
                          oidc.providerConfigurationEndpoint(
                              configuration ->
                                  configuration.providerConfigurationCustomizer(
                                      builder ->
                                          builder.grantTypes(
                                              AuthorizationServerConfiguration::onlyOurGrants))));
            })
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .exceptionHandling(
            exceptions ->
                exceptions.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint("/login"), browsers()))
        // OpenID Connect's user info endpoint takes the access token as a bearer token.
        .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()));
    return http.build();
  }

  /**
   * A request that asks for HTML: a browser at the authorization endpoint, sent to sign in. A
   * script without an Accept header gets 401 instead of a redirect to a form.
   */
  private static MediaTypeRequestMatcher browsers() {
    MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
    html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
    return html;
  }

  /** The grants of the two clients, and nothing else. */
  static final List<String> GRANT_TYPES =
      List.of(
          AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
          AuthorizationGrantType.CLIENT_CREDENTIALS.getValue());

  private static boolean isGrant(AuthenticationConverter converter) {
    return converter instanceof OAuth2AuthorizationCodeAuthenticationConverter
        || converter instanceof OAuth2ClientCredentialsAuthenticationConverter;
  }

  private static void onlyOurGrants(List<String> grantTypes) {
    grantTypes.clear();
    grantTypes.addAll(GRANT_TYPES);
  }

  @Bean
  @Order(2)
  SecurityFilterChain loginPage(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/login", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(form -> form.loginPage("/login").permitAll())
        .authenticationProvider(new AnyUserName());
    return http.build();
  }

  @Bean
  LoginPage loginPageController() {
    return new LoginPage();
  }

  @Bean
  RegisteredClientRepository clients(AuthSettings settings, AuthData data) {
    TokenSettings tokens =
        TokenSettings.builder().accessTokenTimeToLive(ACCESS_TOKEN_LIFETIME).build();
    RegisteredClient app =
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(LocalAuthorizationServer.APP_CLIENT_ID)
            .clientName("inbox-push app (public, authorization code with PKCE)")
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUris(uris -> uris.addAll(settings.redirectUris()))
            .scope(OidcScopes.OPENID)
            .clientSettings(
                ClientSettings.builder()
                    .requireProofKey(true)
                    .requireAuthorizationConsent(false)
                    .build())
            .tokenSettings(tokens)
            .build();
    RegisteredClient script =
        RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId(LocalAuthorizationServer.SCRIPT_CLIENT_ID)
            .clientName("inbox-push scripts (confidential, client credentials)")
            // Stored hashed, as a production server would; the plain secret stays in the data
            // directory for the person running the scripts.
            .clientSecret(
                PasswordEncoderFactories.createDelegatingPasswordEncoder()
                    .encode(data.scriptClientSecret()))
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .tokenSettings(tokens)
            .build();
    return new InMemoryRegisteredClientRepository(app, script);
  }

  @Bean
  JWKSource<SecurityContext> signingKeys(AuthData data) {
    return new ImmutableJWKSet<>(new JWKSet(data.signingKey()));
  }

  /** For the user info endpoint: this server's own access tokens. */
  @Bean
  JwtDecoder ownTokens(AuthData data) throws JOSEException {
    return NimbusJwtDecoder.withPublicKey(data.signingKey().toRSAPublicKey()).build();
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(AuthSettings settings) {
    String issuer = settings.issuer();
    if (issuer == null) {
      throw new IllegalStateException("the issuer is set once the port is known");
    }
    return AuthorizationServerSettings.builder().issuer(issuer).build();
  }

  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> audience() {
    return new AudienceCustomizer();
  }
}
