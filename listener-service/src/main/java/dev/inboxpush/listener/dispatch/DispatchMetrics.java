package dev.inboxpush.listener.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The dispatchers' metrics, shared by APNs and FCM. Every tag comes from a bounded set: {@code
 * platform} (apns, fcm), {@code app} (a configured topic or Firebase project, so as many as the
 * configuration names), {@code environment} (production, sandbox, or fcm), {@code outcome} (the
 * {@link DispatchOutcome#label()}s) and {@code reason} (the outcome tables' reasons: their
 * documented names, or {@code status_NNN} for an undocumented one).
 *
 * <ul>
 *   <li>{@value #PUSHES}{@code {platform, app, outcome, reason}}: every push a lane answered,
 *       including those it answered itself (circuit open, queue full, shutting down).
 *   <li>{@value #LATENCY}{@code {platform}}: from handing a push to the SDK to its answer, as a
 *       histogram.
 *   <li>{@value #IN_FLIGHT}{@code {platform, app, environment}}: pushes sent and not yet answered.
 *   <li>{@value #QUEUED}{@code {platform, app, environment}}: pushes waiting for a window slot.
 *   <li>{@value #DEAD_TOKENS_PAUSED}{@code {platform, app}}: dead-token answers whose deletion the
 *       safety valve held back. Alert on any increase.
 *   <li>{@value #WARM_UPS}{@code {platform, app, outcome}}: the start-up warm-up of each lane
 *       ({@link WarmUp}), apart from the pushes; {@code outcome} is a {@link WarmUp.Outcome#tag()}
 *       ({@code warmed}, {@code failed}, {@code timed_out}, {@code refused}). Every configured
 *       lane's series exist from start-up, at 0. Alert on {@code refused}.
 * </ul>
 *
 * The push counters of every configured app exist from start-up, at 0, for every outcome its lanes
 * can give ({@link Lanes} registers them from the platform's outcome table and {@link Lane}'s own);
 * an undocumented provider status is counted from its first occurrence. So do the valve's counters
 * (one per app) and the lanes' gauges and latency timers.
 *
 * <p>Circuit breaker states are published by resilience4j's own binder as {@code
 * resilience4j_circuitbreaker_state{name, state}}. Thread-safe.
 */
public final class DispatchMetrics {

  public static final String PUSHES = "inboxpush.dispatch.pushes";
  public static final String LATENCY = "inboxpush.dispatch.latency";
  public static final String IN_FLIGHT = "inboxpush.dispatch.in.flight";
  public static final String QUEUED = "inboxpush.dispatch.queued";
  public static final String DEAD_TOKENS_PAUSED = "inboxpush.dispatch.dead.tokens.paused";
  public static final String WARM_UPS = "inboxpush.dispatch.warm.ups";

  private final MeterRegistry registry;
  private final Map<Tags, Counter> pushes = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<Tags, Counter> paused = new ConcurrentHashMap<>();
  private final Map<Tags, Counter> warmUps = new ConcurrentHashMap<>();

  public DispatchMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one answered push. */
  public void push(String platform, String app, DispatchOutcome outcome) {
    pushCounter(platform, app, outcome).increment();
  }

  /**
   * The counter of {@link #push}, for a caller that counts one outcome often, or that registers it
   * before its first push (every configured app's documented outcomes are, at start-up).
   */
  public Counter pushCounter(String platform, String app, DispatchOutcome outcome) {
    Tags tags =
        Tags.of(
            "platform",
            platform,
            "app",
            app,
            "outcome",
            outcome.label(),
            "reason",
            outcome.reason());
    return pushes.computeIfAbsent(
        tags,
        key ->
            Counter.builder(PUSHES)
                .description("pushes answered, by platform, app, outcome and reason")
                .tags(key)
                .register(registry));
  }

  /** The latency timer of {@code platform}. */
  public Timer latency(String platform) {
    return latency.computeIfAbsent(
        platform,
        key ->
            Timer.builder(LATENCY)
                .description("from handing a push to the provider SDK to its answer")
                .tag("platform", key)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
  }

  /**
   * The counter of dead-token answers the safety valve of {@code app} kept from deleting anything;
   * the valve registers it when it is created, so that it shows 0 from start-up.
   */
  public Counter deadTokensPaused(String platform, String app) {
    return paused.computeIfAbsent(
        Tags.of("platform", platform, "app", app),
        key ->
            Counter.builder(DEAD_TOKENS_PAUSED)
                .description("dead-token answers held back by the safety valve")
                .tags(key)
                .register(registry));
  }

  /**
   * The counter of one warm-up outcome of {@code app}'s lanes, registered at 0 when first asked.
   */
  public Counter warmUpCounter(String platform, String app, WarmUp.Outcome outcome) {
    return warmUps.computeIfAbsent(
        Tags.of("platform", platform, "app", app, "outcome", outcome.tag()),
        key ->
            Counter.builder(WARM_UPS)
                .description("start-up warm-ups of the provider lanes, by outcome; not pushes")
                .tags(key)
                .register(registry));
  }

  /** Registers a lane's in-flight and queued gauges. */
  public void lane(
      String platform,
      String app,
      String environment,
      Supplier<Number> inFlight,
      Supplier<Number> queued) {
    Tags tags = Tags.of("platform", platform, "app", app, "environment", environment);
    Gauge.builder(IN_FLIGHT, inFlight)
        .description("pushes sent to the provider and not yet answered")
        .tags(tags)
        .register(registry);
    Gauge.builder(QUEUED, queued)
        .description("pushes waiting for a slot in the in-flight window")
        .tags(tags)
        .register(registry);
  }

  /** The registry, for SDK listeners that register their own meters. */
  public MeterRegistry registry() {
    return registry;
  }
}
