package dev.inboxpush.listener.callback;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import dev.inboxpush.listener.ews.ParserLimits;
import dev.inboxpush.listener.ews.SendNotificationParser;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wires the EWS endpoint: {@code /ews/v1/{callbackToken}}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CallbackProperties.class)
class CallbackConfiguration {

  /** The path Exchange posts to; the callback URL handed to apps is the base URL plus this. */
  static final String CALLBACK_PATH = "/ews/v1/{callbackToken}";

  @Bean
  SendNotificationParser sendNotificationParser() {
    return new SendNotificationParser(ParserLimits.DEFAULTS);
  }

  @Bean
  RouterFunction<ServerResponse> callbackRoutes(
      SendNotificationParser parser,
      CallbackProcessor processor,
      CallbackProperties properties,
      MeterRegistry meterRegistry) {
    CallbackHandler handler =
        new CallbackHandler(
            parser,
            processor,
            new SourceNetworks(properties),
            properties,
            new CallbackMetrics(meterRegistry));
    return RouterFunctions.route(POST(CALLBACK_PATH), handler::post)
        .andRoute(path(CALLBACK_PATH), handler::methodNotAllowed);
  }
}
