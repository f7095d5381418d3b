package dev.inboxpush.registration.security;

import dev.inboxpush.registration.problem.ProblemType;
import dev.inboxpush.registration.problem.ProblemWriter;
import dev.inboxpush.registration.ratelimit.RateLimits;
import java.util.Objects;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;

/**
 * The security filter chain: {@code /v1/**} needs a valid bearer JWT (issuer, JWK set and audience
 * from {@code spring.security.oauth2.resourceserver.jwt.*}); the OpenAPI document and Actuator
 * (served on the management port only, kept private by its port and bind address) are open;
 * anything else is denied. 401 and 403 are problem details; no session, no CSRF (bearer tokens
 * only). Rate limits run before authentication (per client address) and after it (per caller).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OwnerHashProperties.class)
class SecurityConfiguration {

  @Bean
  SecurityHeaders securityHeaders() {
    return new SecurityHeaders();
  }

  @Bean
  OwnerHasher ownerHasher(OwnerHashProperties properties) {
    return new OwnerHasher(properties.ownerHashKey());
  }

  /**
   * New registrations' ids and secrets, derived under the owner-hash key; as the service's {@link
   * dev.inboxpush.store.RegistrationIdentities}, the store takes new ids from it.
   */
  @Bean
  RegistrationSecrets registrationSecrets(OwnerHasher checked, OwnerHashProperties properties) {
    return new RegistrationSecrets(Objects.requireNonNull(properties.ownerHashKey()));
  }

  /**
   * Added to Boot's JWT validators (signature, time, issuer, audience): a token must name its
   * subject, whose hash owns the caller's registrations. Also refuses to start without an issuer:
   * without one Boot checks no {@code iss} at all, and any issuer sharing the key set would do.
   */
  @Bean
  OAuth2TokenValidator<Jwt> subjectRequired(OAuth2ResourceServerProperties resourceServer) {
    String issuer = resourceServer.getJwt().getIssuerUri();
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalStateException(
          "spring.security.oauth2.resourceserver.jwt.issuer-uri is required: the issuer tokens must"
              + " carry");
    }
    return new JwtClaimValidator<String>(
        JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank());
  }

  /**
   * What Spring Security's firewall refuses before any filter (dot segments, encoded slashes or
   * NULs, odd methods and header values): the same problem detail as every other refusal, not an
   * empty 400.
   */
  @Bean
  ServerExchangeRejectedHandler exchangeRejected(ProblemWriter problems) {
    return (exchange, rejected) ->
        problems.write(
            exchange, ProblemType.REQUEST, "The request's path or headers are not allowed.");
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, RateLimits rateLimits, ProblemWriter problems) {
    ServerAuthenticationEntryPoint entryPoint =
        (exchange, e) ->
            problems.write(
                exchange,
                ProblemType.UNAUTHENTICATED,
                "A valid bearer token is required.",
                headers -> headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    ServerAccessDeniedHandler denied =
        (exchange, e) ->
            problems.write(exchange, ProblemType.FORBIDDEN, "This token may not do that.");
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        // SecurityHeaders writes every answer's headers, those Spring Security never sees too.
        .headers(ServerHttpSecurity.HeaderSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    // Actuator lives on the management port only (its own server, whose requests
                    // pass this WebFlux chain too). On the public port nothing maps /actuator, so
                    // these paths answer 404 there; on the management port only the exposed
                    // endpoints (health, info, prometheus) exist.
                    .pathMatchers("/actuator", "/actuator/**", "/v1/openapi.yaml")
                    .permitAll()
                    .pathMatchers("/v1/**")
                    .authenticated()
                    .anyExchange()
                    .denyAll())
        .oauth2ResourceServer(
            server ->
                server
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(entryPoint)
                    .accessDeniedHandler(denied))
        .exceptionHandling(
            handling -> handling.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
        .addFilterBefore(rateLimits.byAddress(), SecurityWebFiltersOrder.AUTHENTICATION)
        .addFilterAfter(rateLimits.byCaller(), SecurityWebFiltersOrder.AUTHENTICATION)
        .build();
  }
}
