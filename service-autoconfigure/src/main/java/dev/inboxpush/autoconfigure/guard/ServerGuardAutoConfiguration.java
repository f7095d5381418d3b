package dev.inboxpush.autoconfigure.guard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * The public server's guard for a reactive service on Reactor Netty: the {@link InFlightLimit}
 * filter and a {@link NettyServerCustomizer} that sets the request-head deadline ({@link
 * RequestHeadDeadline}) and Reactor Netty's body read and request timeouts. Each service renders
 * the limit's {@link ServerOverloadedException} at its own error edge.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({HttpServer.class, NettyServerCustomizer.class})
@EnableConfigurationProperties(ServerGuardProperties.class)
public class ServerGuardAutoConfiguration {

  @Bean
  InFlightLimit inFlightLimit(
      ServerGuardProperties properties, ObjectProvider<MeterRegistry> meters) {
    return new InFlightLimit(properties, meters.getIfAvailable(() -> Metrics.globalRegistry));
  }

  @Bean
  NettyServerCustomizer serverTimeouts(
      ServerGuardProperties properties, ObjectProvider<MeterRegistry> meters) {
    Counter slowHeads =
        Counter.builder("inboxpush.server.slow.clients")
            .description("Connections closed for sending a request head too slowly")
            .tag("phase", "head")
            .register(meters.getIfAvailable(() -> Metrics.globalRegistry));
    long deadline = properties.headerTimeout().toMillis();
    DroppedErrors.install();
    return server ->
        server
            .readTimeout(properties.readTimeout())
            .requestTimeout(properties.requestTimeout())
            .doOnChannelInit(
                (observer, channel, remote) -> {
                  var pipeline = channel.pipeline();
                  if (pipeline.get(NettyPipeline.HttpCodec) == null) {
                    // HTTP/2 or TLS would need the handler elsewhere: refuse rather than close
                    // every connection at the deadline.
                    throw new IllegalStateException(
                        "inboxpush.server.header-timeout needs HTTP/1.1 without TLS on the public"
                            + " port (TLS ends at the load balancer)");
                  }
                  var deadlineHandler = new RequestHeadDeadline(deadline, slowHeads);
                  pipeline.addBefore(
                      NettyPipeline.HttpCodec,
                      RequestHeadDeadline.BYTES_NAME,
                      deadlineHandler.bytes());
                  pipeline.addAfter(
                      NettyPipeline.HttpCodec, RequestHeadDeadline.NAME, deadlineHandler);
                });
  }
}
