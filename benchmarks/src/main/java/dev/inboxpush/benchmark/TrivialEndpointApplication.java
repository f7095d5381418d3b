package dev.inboxpush.benchmark;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import dev.inboxpush.autoconfigure.CoreAutoConfiguration;
import dev.inboxpush.autoconfigure.StoreAutoConfiguration;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The yardstick: a Spring Boot WebFlux application (same stack, same auto-configuration, actuator
 * included) whose endpoint reads the body and returns the fixed {@code OK} reply. No parsing, no
 * lookup; and no store: the services' shared auto-configuration (region, table) is left out. Lives
 * outside dev.inboxpush.listener: there the listener application would scan it in, and its route
 * would shadow the real one.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = {CoreAutoConfiguration.class, StoreAutoConfiguration.class})
public class TrivialEndpointApplication {

  @Bean
  RouterFunction<ServerResponse> trivial() {
    byte[] reply = SendNotificationReply.body(SubscriptionStatus.OK);
    MediaType type = MediaType.parseMediaType(SendNotificationReply.CONTENT_TYPE);
    return RouterFunctions.route(
        POST("/ews/v1/{token}"),
        request ->
            DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), 1024 * 1024)
                .doOnNext(DataBufferUtils::release)
                .then(ServerResponse.ok().contentType(type).bodyValue(reply)));
  }
}
