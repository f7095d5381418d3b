package dev.inboxpush.listener.dispatch.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.metrics.micrometer.MicrometerApnsClientMetricsListener;
import com.eatthepath.pushy.apns.proxy.HttpProxyHandlerFactory;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.inboxpush.listener.dispatch.DeadTokenValve;
import dev.inboxpush.listener.dispatch.DispatchMetrics;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.DispatchProperties;
import dev.inboxpush.listener.dispatch.Lane;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.Lanes;
import dev.inboxpush.listener.dispatch.PlatformDispatcher;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.WarmUp;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.Platform;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends iOS pushes with pushy: one long-lived {@link ApnsClient} per configured app (topic) and
 * environment, all on one event loop of pushy's own, each behind a {@link Lane} (bounded in-flight
 * window, outage circuit breaker) and the app's {@link DeadTokenValve}. Every answer becomes a
 * {@link DispatchOutcome} through {@link ApnsOutcomes}.
 *
 * <p>A push for a topic or environment not configured is a configuration error (the badge waits,
 * pending, nothing is deleted). Credentials are read at {@link #start}: a missing or unreadable key
 * stops start-up. pushy opens connections lazily, on the first push, and keeps them; {@link
 * #warmUps} opens them at start-up instead.
 *
 * <p>Thread-safe; {@link #dispatch} never blocks. {@link #close()} finishes the pushes in flight
 * within {@code inboxpush.apns.shutdown-timeout}, then closes the clients and the event loop.
 */
public final class ApnsDispatcher implements PlatformDispatcher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApnsDispatcher.class);

  private static final String PLATFORM = "apns";

  private record LaneKey(String topic, ApnsEnvironment environment) {}

  private final Lanes<LaneKey> lanes;
  private final Map<Lane.Name, ApnsClient> clientsByLane;
  private final @Nullable EventLoopGroup eventLoop;
  private final Duration shutdownTimeout;
  private final int connections;

  private ApnsDispatcher(
      Map<LaneKey, Lane> lanes,
      Map<Lane.Name, ApnsClient> clientsByLane,
      @Nullable EventLoopGroup eventLoop,
      ApnsProperties properties,
      DispatchMetrics metrics) {
    this.lanes = new Lanes<>(PLATFORM, lanes, metrics, ApnsOutcomes.documented());
    this.clientsByLane = Collections.unmodifiableMap(new LinkedHashMap<>(clientsByLane));
    this.eventLoop = eventLoop;
    this.shutdownTimeout = properties.shutdownTimeout();
    this.connections = properties.connections();
  }

  /**
   * Reads every app's credentials and builds its clients.
   *
   * @throws IllegalStateException naming the setting when a key or certificate is missing or
   *     unusable, or the trusted certificates cannot be read
   */
  public static ApnsDispatcher start(
      ApnsProperties properties,
      DispatchProperties guards,
      CircuitBreakerRegistry breakers,
      DispatchMetrics metrics,
      Clock clock) {
    if (properties.apps().isEmpty()) {
      log.info("no APNs apps configured: iOS badges wait, pending, as configuration errors");
      return new ApnsDispatcher(Map.of(), Map.of(), null, properties, metrics);
    }
    List<ApnsCredentials> credentials = new ArrayList<>();
    for (int i = 0; i < properties.apps().size(); i++) {
      credentials.add(
          ApnsCredentials.read(properties.apps().get(i), "inboxpush.apns.apps[" + i + "]"));
    }
    EventLoopGroup eventLoop = eventLoop(properties.eventLoopThreads());
    Map<LaneKey, Lane> lanes = new HashMap<>();
    Map<Lane.Name, ApnsClient> clients = new LinkedHashMap<>();
    try {
      Lane.Limits limits =
          new Lane.Limits(properties.window(), properties.queue(), properties.sendTimeout());
      for (int i = 0; i < properties.apps().size(); i++) {
        ApnsProperties.App app = properties.apps().get(i);
        credentials.get(i).publish(metrics.registry(), app.topic(), clock);
        DeadTokenValve valve =
            new DeadTokenValve(
                PLATFORM, app.topic(), guards.deadTokenValve(), breakers, metrics, clock);
        for (ApnsEnvironment environment : app.environments()) {
          LaneKey key = new LaneKey(app.topic(), environment);
          if (lanes.containsKey(key)) {
            throw new IllegalStateException(
                "inboxpush.apns.apps[" + i + "].topic: " + app.topic() + " is configured twice");
          }
          ApnsClient client =
              client(properties, credentials.get(i), app.topic(), environment, eventLoop, metrics);
          Lane.Name name = new Lane.Name(PLATFORM, app.topic(), environment.wireName());
          clients.put(name, client);
          lanes.put(
              key,
              new Lane(
                  name,
                  limits,
                  push -> send(client, push, properties.expiration(), clock),
                  ApnsOutcomes::providerTrouble,
                  guards.circuit(),
                  breakers,
                  valve,
                  metrics,
                  clock));
        }
      }
    } catch (RuntimeException e) {
      lanes.values().forEach(lane -> lane.close(System.nanoTime())); // their timeout sweeps
      clients.values().forEach(ApnsClient::close);
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    log.info("APNs dispatcher started: {}", lanes.keySet());
    return new ApnsDispatcher(lanes, clients, eventLoop, properties, metrics);
  }

  @Override
  public Platform platform() {
    return Platform.APNS;
  }

  @Override
  public List<DispatchOutcome> outcomes() {
    return lanes.outcomes();
  }

  @Override
  public Mono<DispatchOutcome> dispatch(Push push) {
    ApnsEnvironment environment = push.apnsEnvironment();
    return lanes.dispatch(
        environment == null ? null : new LaneKey(push.appId().value(), environment), push);
  }

  /**
   * Per lane, a warm-up through its own client: pushy has no API to connect, and opens a connection
   * for each push while it has fewer than {@code connections}, so the call sends that many pushes
   * to {@link ApnsNotifications#WARM_UP_TOKEN} at once, straight to the client (not through the
   * lane: no push counted, no circuit or valve). Its result is the worst answer ({@link
   * ApnsOutcomes#warmUp}); no answer at all is {@code failed/transport}.
   */
  @Override
  public List<WarmUp.Call> warmUps() {
    List<WarmUp.Call> calls = new ArrayList<>();
    clientsByLane.forEach(
        (name, client) -> calls.add(new WarmUp.Call(name, warmUp(client, name.app()))));
    return calls;
  }

  private Mono<WarmUp.Result> warmUp(ApnsClient client, String topic) {
    return Flux.range(0, connections)
        .flatMap(
            connection ->
                Mono.fromFuture(
                        () -> client.sendNotification(ApnsNotifications.warmUp(topic)), true)
                    .map(
                        response ->
                            ApnsOutcomes.warmUp(
                                response.getStatusCode(),
                                response.getRejectionReason().orElse(null)))
                    .onErrorResume(
                        error -> {
                          log.debug("APNs warm-up push got no answer: {}", error.toString());
                          return Mono.just(
                              WarmUp.Result.of(WarmUp.Outcome.FAILED, LaneReason.TRANSPORT));
                        }),
            connections)
        .reduce(WarmUp.Result::worse);
  }

  /**
   * Finishes what is in flight within the shutdown timeout, then closes the clients (pushy fails
   * what it had not yet written) and the event loop. Blocks; idempotent.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    lanes.close(deadline);
    CompletableFuture<?>[] closing =
        clientsByLane.values().stream().map(ApnsClient::close).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(closing)
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      log.warn("APNs clients did not close within the shutdown timeout: {}", e.toString());
    }
    if (eventLoop != null) {
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2_000);
    }
  }

  private static Mono<DispatchOutcome> send(
      ApnsClient client, Push push, Duration expiration, Clock clock) {
    SimpleApnsPushNotification notification =
        ApnsNotifications.of(push, clock.instant().plus(expiration));
    return Mono.fromFuture(() -> client.sendNotification(notification), true)
        .map(response -> answer(response, push, clock))
        .onErrorResume(
            error -> {
              // Counted as transport (and by the circuit); the cause is for whoever debugs TLS.
              log.debug("APNs send failed without an answer: {}", error.toString());
              return Mono.just(ApnsOutcomes.transportFailure());
            });
  }

  private static DispatchOutcome answer(
      PushNotificationResponse<SimpleApnsPushNotification> response, Push push, Clock clock) {
    if (response.isAccepted()) {
      return new DispatchOutcome.Accepted();
    }
    return ApnsOutcomes.rejected(
        response.getStatusCode(),
        response.getRejectionReason().orElse(null),
        response.getTokenInvalidationTimestamp().orElse(null),
        push.lastAcceptedAt() != null,
        null, // pushy 0.15.4 exposes no response header but apns-id; Apple documents none
        clock.instant());
  }

  private static ApnsClient client(
      ApnsProperties properties,
      ApnsCredentials credentials,
      String topic,
      ApnsEnvironment environment,
      EventLoopGroup eventLoop,
      DispatchMetrics metrics) {
    ApnsClientBuilder builder =
        new ApnsClientBuilder()
            .setApnsServer(
                properties.endpoint(environment).host(), properties.endpoint(environment).port())
            .setEventLoopGroup(eventLoop)
            .setConcurrentConnections(properties.connections())
            .setConnectionTimeout(properties.connectTimeout())
            .setGracefulShutdownTimeout(properties.shutdownTimeout())
            .setMetricsListener(
                new MicrometerApnsClientMetricsListener(
                    metrics.registry(),
                    "platform",
                    PLATFORM,
                    "app",
                    topic,
                    "environment",
                    environment.wireName()));
    credentials.applyTo(builder);
    if (properties.trustedServerCertificates() != null) {
      File pem = properties.trustedServerCertificates().toFile();
      if (!pem.canRead()) {
        throw new IllegalStateException(
            "inboxpush.apns.trusted-server-certificates: cannot read " + pem);
      }
      builder.setTrustedServerCertificateChain(pem);
    }
    ApnsProperties.Proxy proxy = properties.proxy();
    if (proxy != null) {
      builder.setProxyHandlerFactory(
          new HttpProxyHandlerFactory(
              new InetSocketAddress(proxy.host(), proxy.port()),
              proxy.username(),
              proxy.password()));
    }
    try {
      return builder.build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalStateException(
          "inboxpush.apns: cannot build the client for "
              + topic
              + " ("
              + environment.wireName()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  // pushy 0.15.4 maps its channel classes from the exact event loop class: it rejects Netty 4.2's
  // MultiThreadIoEventLoopGroup, so it gets the deprecated NioEventLoopGroup, its own.
  @SuppressWarnings("deprecation")
  private static EventLoopGroup eventLoop(int threads) {
    return new NioEventLoopGroup(threads, new DefaultThreadFactory("apns", true));
  }
}
