package dev.inboxpush.listener.callback;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import dev.inboxpush.listener.ews.ParserLimits;
import dev.inboxpush.listener.ews.SendNotificationParser;
import dev.inboxpush.listener.graph.GraphNotificationParser;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wires the EWS endpoint, {@code /ews/v1/{callbackToken}}, and the Microsoft Graph endpoints,
 * {@code /graph/v1/{callbackToken}} and {@code .../lifecycle}, on the public port only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CallbackProperties.class, GraphProperties.class})
class CallbackConfiguration {

  /** The path Exchange posts to; the callback URL handed to apps is the base URL plus this. */
  static final String CALLBACK_PATH = "/ews/v1/{callbackToken}";

  /** The compatibility mode's region-wide URL (only when enabled). */
  static final String SHARED_PATH = "/ews/v1/shared";

  /** Graph's notificationUrl for a registration: the base URL plus this. */
  static final String GRAPH_PATH = "/graph/v1/{callbackToken}";

  /** Graph's lifecycleNotificationUrl for a registration. */
  static final String GRAPH_LIFECYCLE_PATH = "/graph/v1/{callbackToken}/lifecycle";

  @Bean
  RouterFunction<ServerResponse> graphRoutes(
      GraphProcessor processor, GraphProperties properties, MeterRegistry meterRegistry) {
    GraphHandler handler =
        new GraphHandler(
            new GraphNotificationParser(), processor, properties, new GraphMetrics(meterRegistry));
    RouterFunction<ServerResponse> graph =
        RouterFunctions.route()
            .POST(GRAPH_PATH, handler::notification)
            .POST(GRAPH_LIFECYCLE_PATH, handler::lifecycle)
            .route(path(GRAPH_PATH).or(path(GRAPH_LIFECYCLE_PATH)), handler::methodNotAllowed)
            .build();
    RequestPredicate onThePublicServer = request -> PublicServer.serves(request.exchange());
    return RouterFunctions.nest(onThePublicServer, graph);
  }

  @Bean
  SendNotificationParser sendNotificationParser() {
    return new SendNotificationParser(ParserLimits.DEFAULTS);
  }

  @Bean
  CallbackMetrics callbackMetrics(MeterRegistry meterRegistry) {
    return new CallbackMetrics(meterRegistry);
  }

  @Bean
  GraphErrorHandler graphErrorHandler() {
    return new GraphErrorHandler();
  }

  @Bean
  EwsErrorHandler ewsErrorHandler(CallbackMetrics metrics) {
    return new EwsErrorHandler(metrics);
  }

  @Bean
  RouterFunction<ServerResponse> callbackRoutes(
      SendNotificationParser parser,
      CallbackProcessor processor,
      CallbackProperties properties,
      CallbackMetrics metrics) {
    CallbackHandler handler =
        new CallbackHandler(parser, processor, new SourceNetworks(properties), properties, metrics);
    RouterFunctions.Builder routes = RouterFunctions.route();
    if (properties.compatibilityMode()) {
      routes.POST(SHARED_PATH, handler::postShared);
    }
    RouterFunction<ServerResponse> callback =
        routes
            .POST(CALLBACK_PATH, handler::post)
            .route(path(CALLBACK_PATH), handler::methodNotAllowed)
            .build();
    // The management server sees this route too; it must not answer Exchange there.
    RequestPredicate onThePublicServer = request -> PublicServer.serves(request.exchange());
    return RouterFunctions.nest(onThePublicServer, callback);
  }
}
