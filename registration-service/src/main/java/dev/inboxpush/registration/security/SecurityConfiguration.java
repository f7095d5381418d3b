package dev.inboxpush.registration.security;

import dev.inboxpush.registration.ratelimit.RateLimitFilter;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The security filter chain: {@code /v1/**} needs a valid bearer JWT (issuer, JWK set and audience
 * from {@code spring.security.oauth2.resourceserver.jwt.*}); health, metrics and the OpenAPI
 * document are open. 401 and 403 are problem details; no session, no CSRF (bearer tokens only).
 * Rate limits run before authentication (per client address) and after it (per caller).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  OwnerHasher ownerHasher(@Value("${inboxpush.registration.owner-hash-key:}") String secret) {
    return new OwnerHasher(secret);
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, RateLimitFilter rateLimits) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(
                        "/actuator/health/**",
                        "/actuator/health",
                        "/actuator/prometheus",
                        "/v1/openapi.yaml")
                    .permitAll()
                    .pathMatchers("/v1/**")
                    .authenticated()
                    .anyExchange()
                    .denyAll())
        .oauth2ResourceServer(
            server ->
                server
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(
                        (exchange, e) ->
                            problem(
                                exchange,
                                HttpStatus.UNAUTHORIZED,
                                "unauthenticated",
                                "A valid bearer token is required."))
                    .accessDeniedHandler(
                        (exchange, e) ->
                            problem(
                                exchange,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "This token may not do that.")))
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint(
                        (exchange, e) ->
                            problem(
                                exchange,
                                HttpStatus.UNAUTHORIZED,
                                "unauthenticated",
                                "A valid bearer token is required."))
                    .accessDeniedHandler(
                        (exchange, e) ->
                            problem(
                                exchange,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "This token may not do that.")))
        .addFilterBefore(rateLimits.byAddress(), SecurityWebFiltersOrder.AUTHENTICATION)
        .addFilterAfter(rateLimits.byCaller(), SecurityWebFiltersOrder.AUTHENTICATION)
        .build();
  }

  static Mono<Void> problem(
      ServerWebExchange exchange, HttpStatus status, String type, String detail) {
    exchange.getResponse().setStatusCode(status);
    exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (status == HttpStatus.UNAUTHORIZED) {
      exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer");
    }
    String body =
        "{\"type\":\"https://inboxpush.dev/problems/"
            + type
            + "\",\"title\":\""
            + status.getReasonPhrase()
            + "\",\"status\":"
            + status.value()
            + ",\"detail\":\""
            + detail
            + "\"}";
    return exchange
        .getResponse()
        .writeWith(
            Mono.just(
                exchange
                    .getResponse()
                    .bufferFactory()
                    .wrap(body.getBytes(StandardCharsets.UTF_8))));
  }
}
