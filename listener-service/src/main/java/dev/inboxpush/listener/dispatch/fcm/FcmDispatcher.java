package dev.inboxpush.listener.dispatch.fcm;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.auth.Retryable;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.ThreadManager;
import com.google.firebase.internal.ApacheHttp2Transport;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
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
import dev.inboxpush.model.Platform;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.io.CloseMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends Android pushes with firebase-admin: per configured Firebase project, a pool of FirebaseApps
 * (each its own HTTP/2 connection and thread pool, since one app carries only about 100 requests at
 * once), sharing the project's service-account credentials, behind one {@link Lane} (in-flight
 * window of the whole pool, outage circuit breaker) and the project's {@link DeadTokenValve}.
 * Pushes go round-robin over the pool with {@code sendAsync}, one request per message (never the
 * removed batch API). Every answer becomes a {@link DispatchOutcome} through {@link FcmOutcomes}.
 *
 * <p>A push for a project not configured is a configuration error. Credentials are read at {@link
 * #start}: a missing or unreadable service-account file stops start-up naming the setting.
 *
 * <p>Thread-safe; {@link #dispatch} never blocks (firebase-admin blocks its own pool's threads).
 * {@link #close()} finishes the pushes in flight within {@code inboxpush.fcm.shutdown-timeout},
 * then deletes the apps and shuts their transports down.
 */
public final class FcmDispatcher implements PlatformDispatcher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FcmDispatcher.class);

  private static final String PLATFORM = "fcm";
  private static final AtomicLong INSTANCES = new AtomicLong();

  private static final DispatchOutcome CREDENTIALS_REFUSED =
      new DispatchOutcome.ConfigurationError(LaneReason.CREDENTIALS_REFUSED);
  private static final DispatchOutcome TIMED_OUT =
      new DispatchOutcome.Retryable(null, LaneReason.TIMEOUT);

  /** What a call to FCM can give: the outcome table's, and the two found before any answer. */
  private static final List<DispatchOutcome> PROVIDER_OUTCOMES =
      Stream.concat(FcmOutcomes.documented().stream(), Stream.of(CREDENTIALS_REFUSED, TIMED_OUT))
          .toList();

  private final Lanes<String> lanes;
  private final Map<Lane.Name, List<FirebaseMessaging>> pools;
  private final List<FirebaseApp> apps;
  private final List<ApacheHttp2Transport> transports;
  private final Duration shutdownTimeout;
  private final Clock clock;

  private FcmDispatcher(
      Map<String, Lane> lanes,
      Map<Lane.Name, List<FirebaseMessaging>> pools,
      List<FirebaseApp> apps,
      List<ApacheHttp2Transport> transports,
      Duration shutdownTimeout,
      DispatchMetrics metrics,
      Clock clock) {
    this.lanes = new Lanes<>(PLATFORM, lanes, metrics, PROVIDER_OUTCOMES);
    this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    this.apps = List.copyOf(apps);
    this.transports = List.copyOf(transports);
    this.shutdownTimeout = shutdownTimeout;
    this.clock = clock;
  }

  /**
   * Reads every project's credentials and builds its pool.
   *
   * @throws IllegalStateException naming the setting when a service-account file is missing or
   *     unusable, or the trusted certificates cannot be read
   */
  public static FcmDispatcher start(
      FcmProperties properties,
      DispatchProperties guards,
      CircuitBreakerRegistry breakers,
      DispatchMetrics metrics,
      Clock clock) {
    if (properties.projects().isEmpty()) {
      log.info("no FCM projects configured: Android badges wait, pending, as configuration errors");
      return new FcmDispatcher(
          Map.of(), Map.of(), List.of(), List.of(), properties.shutdownTimeout(), metrics, clock);
    }
    long instance = INSTANCES.incrementAndGet();
    Map<String, Lane> lanes = new HashMap<>();
    Map<Lane.Name, List<FirebaseMessaging>> pools = new LinkedHashMap<>();
    List<FirebaseApp> apps = new ArrayList<>();
    List<ApacheHttp2Transport> transports = new ArrayList<>();
    try {
      Lane.Limits limits =
          new Lane.Limits(properties.window(), properties.queue(), properties.sendTimeout());
      for (int i = 0; i < properties.projects().size(); i++) {
        FcmProperties.Project project = properties.projects().get(i);
        String setting = "inboxpush.fcm.projects[" + i + "]";
        if (lanes.containsKey(project.projectId())) {
          throw new IllegalStateException(
              setting + ".project-id: " + project.projectId() + " is configured twice");
        }
        List<FirebaseMessaging> pool = new ArrayList<>();
        GoogleCredentials credentials = null;
        for (int a = 0; a < properties.appsPerProject(); a++) {
          ApacheHttp2Transport transport = FcmTransports.create(properties);
          transports.add(transport);
          if (credentials == null) {
            credentials = credentials(project.credentialsFile(), setting, transport);
          }
          FirebaseApp app =
              FirebaseApp.initializeApp(
                  FirebaseOptions.builder()
                      .setProjectId(project.projectId())
                      .setCredentials(credentials)
                      .setHttpTransport(transport)
                      // Without these firebase-admin waits forever on a silent connection.
                      .setConnectTimeout((int) properties.sendTimeout().toMillis())
                      .setReadTimeout((int) properties.sendTimeout().toMillis())
                      .setThreadManager(new Threads(properties.threadsPerApp(), project, a))
                      .build(),
                  "inboxpush-" + instance + "-" + project.projectId() + "-" + a);
          apps.add(app);
          pool.add(FirebaseMessaging.getInstance(app));
        }
        DeadTokenValve valve =
            new DeadTokenValve(
                PLATFORM, project.projectId(), guards.deadTokenValve(), breakers, metrics, clock);
        Sender sender = new Sender(pool, properties.ttl(), clock);
        Lane.Name name = new Lane.Name(PLATFORM, project.projectId(), PLATFORM);
        pools.put(name, List.copyOf(pool));
        lanes.put(
            project.projectId(),
            new Lane(
                name,
                limits,
                sender::call,
                FcmOutcomes::providerTrouble,
                guards.circuit(),
                breakers,
                valve,
                metrics,
                clock));
      }
    } catch (RuntimeException e) {
      lanes.values().forEach(lane -> lane.close(System.nanoTime())); // their timeout sweeps
      apps.forEach(FirebaseApp::delete);
      transports.forEach(FcmDispatcher::shutdown);
      throw e;
    }
    log.info("FCM dispatcher started: {} x {} apps", lanes.keySet(), properties.appsPerProject());
    return new FcmDispatcher(
        lanes, pools, apps, transports, properties.shutdownTimeout(), metrics, clock);
  }

  @Override
  public Platform platform() {
    return Platform.FCM;
  }

  @Override
  public List<DispatchOutcome> outcomes() {
    return lanes.outcomes();
  }

  @Override
  public Mono<DispatchOutcome> dispatch(Push push) {
    return lanes.dispatch(push.appId().value(), push);
  }

  /**
   * Per project, a warm-up through its own pool: every FirebaseApp sends a dry run ({@code
   * validate_only}: FCM delivers nothing) of {@link FcmMessages#warmUp} at once, straight to
   * firebase-admin (not through the lane: no push counted, no circuit or valve), which makes the
   * shared credentials fetch their OAuth2 token and each app's transport open its connection. Its
   * result is the worst answer ({@link FcmOutcomes#warmUp}); Google's token endpoint refusing the
   * service account is {@code refused/credentials_refused}, no answer {@code failed}.
   */
  @Override
  public List<WarmUp.Call> warmUps() {
    List<WarmUp.Call> calls = new ArrayList<>();
    pools.forEach((name, pool) -> calls.add(new WarmUp.Call(name, warmUp(pool))));
    return calls;
  }

  private Mono<WarmUp.Result> warmUp(List<FirebaseMessaging> pool) {
    return Flux.fromIterable(pool)
        .flatMap(
            messaging ->
                Mono.<WarmUp.Result>create(
                    sink ->
                        ApiFutures.addCallback(
                            messaging.sendAsync(FcmMessages.warmUp(), true),
                            new ApiFutureCallback<>() {
                              @Override
                              public void onSuccess(String name) {
                                sink.success(
                                    WarmUp.Result.of(WarmUp.Outcome.WARMED, LaneReason.NONE));
                              }

                              @Override
                              public void onFailure(Throwable error) {
                                sink.success(warmUpResult(error, clock.instant()));
                              }
                            },
                            MoreExecutors.directExecutor())),
            pool.size())
        .reduce(WarmUp.Result::worse);
  }

  private static WarmUp.Result warmUpResult(Throwable error, Instant now) {
    if (error instanceof FirebaseMessagingException failure && failure.getHttpResponse() != null) {
      return FcmOutcomes.warmUp(
          failure.getMessagingErrorCode() == null ? null : failure.getMessagingErrorCode().name(),
          failure.getHttpResponse().getStatusCode());
    }
    // No answer from FCM: the token endpoint refused us for good, a timeout, or transport.
    DispatchOutcome outcome = outcome(error, now);
    return new WarmUp.Result(
        outcome.hasReason(LaneReason.CREDENTIALS_REFUSED)
            ? WarmUp.Outcome.REFUSED
            : WarmUp.Outcome.FAILED,
        outcome.reason());
  }

  /**
   * Finishes what is in flight within the shutdown timeout, then deletes the apps (their thread
   * pools stop) and shuts the transports down. Blocks; idempotent.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    lanes.close(deadline);
    for (FirebaseApp app : apps) {
      try {
        app.delete();
      } catch (IllegalStateException alreadyDeleted) {
        // closed before
      }
    }
    transports.forEach(FcmDispatcher::shutdown);
  }

  /**
   * Closes a transport at once: by now its lane has drained (or given up), and a graceful close of
   * the HTTP/2 client waits seconds per transport for nothing.
   */
  private static void shutdown(ApacheHttp2Transport transport) {
    try {
      if (transport.getHttpClient() instanceof CloseableHttpAsyncClient client) {
        client.close(CloseMode.IMMEDIATE);
      } else {
        transport.shutdown();
      }
    } catch (IOException e) {
      log.warn("FCM transport did not shut down cleanly: {}", e.toString());
    }
  }

  private static GoogleCredentials credentials(
      Path file, String setting, ApacheHttp2Transport transport) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalStateException(
          setting
              + ".credentials-file: the service-account file "
              + file
              + " does not exist or cannot be read");
    }
    try (InputStream in = Files.newInputStream(file)) {
      // Token requests go through the same transport: the same proxy and trust as FCM itself.
      return GoogleCredentials.fromStream(in, () -> transport);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          setting
              + ".credentials-file: "
              + file
              + " is not a service-account key file ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /** One project's pool: builds the message on the caller's thread, sends round-robin. */
  private static final class Sender {
    private final List<FirebaseMessaging> pool;
    private final Duration ttl;
    private final Clock clock;
    private final AtomicInteger next = new AtomicInteger();

    Sender(List<FirebaseMessaging> pool, Duration ttl, Clock clock) {
      this.pool = pool;
      this.ttl = ttl;
      this.clock = clock;
    }

    Mono<DispatchOutcome> call(Push push) {
      Message message = FcmMessages.of(push, ttl);
      return Mono.create(
          sink -> {
            FirebaseMessaging messaging =
                pool.get(Math.floorMod(next.getAndIncrement(), pool.size()));
            ApiFuture<String> sent = messaging.sendAsync(message);
            ApiFutures.addCallback(
                sent,
                new ApiFutureCallback<>() {
                  @Override
                  public void onSuccess(String name) {
                    sink.success(new DispatchOutcome.Accepted());
                  }

                  @Override
                  public void onFailure(Throwable error) {
                    sink.success(outcome(error, clock.instant()));
                  }
                },
                MoreExecutors.directExecutor());
          });
    }
  }

  private static DispatchOutcome outcome(Throwable error, Instant now) {
    if (!(error instanceof FirebaseMessagingException failure)) {
      log.debug("FCM send failed without an answer", error);
      return FcmOutcomes.transportFailure();
    }
    IncomingHttpResponse response = failure.getHttpResponse();
    if (response == null) {
      // FCM never answered. Google's token endpoint refusing our service account for good
      // (invalid_grant: a revoked or wrong key) is our configuration; anything else is transport.
      for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof Retryable auth && !auth.isRetryable()) {
          return CREDENTIALS_REFUSED;
        }
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
          return TIMED_OUT; // our read or connect timeout
        }
      }
      log.debug("FCM send failed without an answer", failure);
      return FcmOutcomes.transportFailure();
    }
    return FcmOutcomes.rejected(
        failure.getMessagingErrorCode() == null ? null : failure.getMessagingErrorCode().name(),
        response.getStatusCode(),
        retryAfter(response.getHeaders().get("retry-after"), now),
        now);
  }

  /** {@code Retry-After} as seconds or an HTTP date; google-http-client gives a list of values. */
  static @Nullable Duration retryAfter(@Nullable Object header, Instant now) {
    Object value = header instanceof List<?> values && !values.isEmpty() ? values.get(0) : header;
    if (!(value instanceof String text) || text.isBlank()) {
      return null;
    }
    String trimmed = text.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      } catch (DateTimeParseException neither) {
        return null;
      }
    }
  }

  /** One app's threads: firebase-admin blocks one per request in flight. */
  private static final class Threads extends ThreadManager {
    private final int threads;
    private final String name;

    Threads(int threads, FcmProperties.Project project, int index) {
      this.threads = threads;
      this.name = "fcm-" + project.projectId() + "-" + index + "-";
    }

    @Override
    protected ExecutorService getExecutor(FirebaseApp app) {
      return Executors.newFixedThreadPool(threads, getThreadFactory());
    }

    @Override
    protected void releaseExecutor(FirebaseApp app, ExecutorService executor) {
      executor.shutdownNow();
    }

    @Override
    protected ThreadFactory getThreadFactory() {
      AtomicInteger count = new AtomicInteger();
      return runnable -> {
        Thread thread = new Thread(runnable, name + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
