package dev.inboxpush.benchmark;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import dev.inboxpush.autoconfigure.CoreAutoConfiguration;
import dev.inboxpush.autoconfigure.StoreAutoConfiguration;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
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

  /**
   * The yardstick in a JVM of its own (the end-to-end benchmark counts its CPU apart): {@code
   * --server.port=..} and {@code --management.server.port=..} among {@code args}; runs until
   * SIGTERM.
   */
  public static void main(String[] args) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--logging.level.root=WARN",
                "--spring.main.banner-mode=off",
                BenchmarkApps.WITHOUT_SECURITY,
                // The listener's application.yml is on this class path too; there is no table here.
                "--management.endpoint.health.group.readiness.include=readinessState"));
    arguments.addAll(List.of(args));
    new SpringApplicationBuilder(TrivialEndpointApplication.class)
        .web(WebApplicationType.REACTIVE)
        .run(arguments.toArray(String[]::new));
  }

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
