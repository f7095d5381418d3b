package dev.inboxpush.listener.dispatch;

import io.micrometer.core.instrument.Counter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A platform dispatcher's lanes by key (APNs: topic and environment; FCM: project), with what every
 * platform does alike: a push for no configured lane is a configuration error ({@code
 * app_not_configured}, counted under {@code app="unconfigured"}, since app ids come from clients
 * and must not become metric tags), and shutdown stops every lane before draining each. Immutable
 * and thread-safe.
 *
 * @param <K> the lane key
 */
public final class Lanes<K> {

  /** The metric tag of pushes for an app not configured. */
  static final String UNCONFIGURED = "unconfigured";

  private static final DispatchOutcome APP_NOT_CONFIGURED =
      new DispatchOutcome.ConfigurationError(LaneReason.APP_NOT_CONFIGURED);

  private final Map<K, Lane> byKey;
  private final List<DispatchOutcome> outcomes;
  private final Counter unconfigured;

  /**
   * Registers, at 0, the push counter of every outcome each lane can give ({@code providerOutcomes}
   * and the lane's own) under its app, and of {@code app_not_configured} under {@code
   * app="unconfigured"}.
   *
   * @param providerOutcomes every outcome, by its tags, the platform's provider calls can give (its
   *     outcome table's documented ones and its own), but undocumented statuses
   */
  public Lanes(
      String platform,
      Map<K, Lane> byKey,
      DispatchMetrics metrics,
      List<DispatchOutcome> providerOutcomes) {
    this.byKey = Map.copyOf(byKey);
    Set<DispatchOutcome> laneOutcomes = new LinkedHashSet<>(Lane.OWN_OUTCOMES);
    laneOutcomes.addAll(providerOutcomes);
    for (Lane lane : this.byKey.values()) {
      for (DispatchOutcome outcome : laneOutcomes) {
        metrics.pushCounter(platform, lane.name().app(), outcome);
      }
    }
    this.unconfigured = metrics.pushCounter(platform, UNCONFIGURED, APP_NOT_CONFIGURED);
    // Without a lane, app_not_configured is the only answer there is.
    if (this.byKey.isEmpty()) {
      laneOutcomes.clear();
    }
    laneOutcomes.add(APP_NOT_CONFIGURED);
    this.outcomes = List.copyOf(laneOutcomes);
  }

  /** Sends {@code push} in the lane of {@code key}; absent or unknown: a configuration error. */
  public Mono<DispatchOutcome> dispatch(@Nullable K key, Push push) {
    Lane lane = key == null ? null : byKey.get(key);
    if (lane == null) {
      return Mono.fromSupplier(
          () -> {
            unconfigured.increment();
            return APP_NOT_CONFIGURED;
          });
    }
    return lane.dispatch(push);
  }

  /**
   * Every outcome, by its tags, that {@link #dispatch} can give: the lanes' own, their provider's
   * documented ones (none without a lane) and {@code app_not_configured}; not an undocumented
   * status.
   */
  public List<DispatchOutcome> outcomes() {
    return outcomes;
  }

  /** The configured keys. */
  public Set<K> keys() {
    return byKey.keySet();
  }

  /**
   * Stops every lane taking pushes at once, then lets each drain until {@code deadline} ({@link
   * System#nanoTime()}); see {@link Lane#close}. Blocks; idempotent.
   */
  public void close(long deadline) {
    byKey.values().forEach(Lane::stopTaking);
    for (Lane lane : byKey.values()) {
      lane.close(deadline);
    }
  }
}
