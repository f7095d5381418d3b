package dev.inboxpush.registration.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The security headers of every answer of the API (README, "The registration API"), set just before
 * the answer is committed, whoever writes it: a controller, a filter's problem detail, the
 * in-flight limit's 503 (raised before Spring Security runs), Spring Security's firewall, or Boot's
 * error handler. First of all filters, so that no answer escapes it; Spring Security's own header
 * writer is off, as this replaces it. A header an answer set itself is left as it is.
 *
 * <p>Stateless, thread-safe.
 */
final class SecurityHeaders implements WebFilter, Ordered {

  /** Two years, subdomains included: the public API is served over HTTPS only. */
  static final String HSTS = "max-age=63072000; includeSubDomains";

  static final Map<String, String> HEADERS;

  static {
    Map<String, String> headers = new LinkedHashMap<>();
    // Answers hold callback URLs and secrets: no cache may keep them.
    headers.put(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
    headers.put(HttpHeaders.PRAGMA, "no-cache");
    headers.put(HttpHeaders.EXPIRES, "0");
    // TLS ends at the load balancer: the request here is plain HTTP, the client's is not.
    headers.put("Strict-Transport-Security", HSTS);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    // The obsolete filter off, as OWASP advises.
    headers.put("X-XSS-Protection", "0");
    HEADERS = Map.copyOf(headers);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    exchange
        .getResponse()
        .beforeCommit(
            () -> {
              HttpHeaders headers = exchange.getResponse().getHeaders();
              HEADERS.forEach(
                  (name, value) -> {
                    if (!headers.containsHeader(name)) {
                      headers.set(name, value);
                    }
                  });
              return Mono.empty();
            });
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
