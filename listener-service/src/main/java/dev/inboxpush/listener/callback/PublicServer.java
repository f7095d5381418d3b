package dev.inboxpush.listener.callback;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells the public server's requests from the management server's. Spring Boot runs Actuator's
 * server as a child context that sees this package's route and error handler too (route beans and
 * WebFlux handlers are looked up in parent contexts as well); without this test they would answer
 * and count EWS requests on the management port.
 */
final class PublicServer {

  private PublicServer() {}

  /** True for a request to the public server, false for one to the management server. */
  static boolean serves(ServerWebExchange exchange) {
    return !WebServerApplicationContext.hasServerNamespace(
        exchange.getApplicationContext(), "management");
  }
}
