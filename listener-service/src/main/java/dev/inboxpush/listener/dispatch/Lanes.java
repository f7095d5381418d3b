package dev.inboxpush.listener.dispatch;

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

  private final String platform;
  private final Map<K, Lane> byKey;
  private final DispatchMetrics metrics;

  public Lanes(String platform, Map<K, Lane> byKey, DispatchMetrics metrics) {
    this.platform = platform;
    this.byKey = Map.copyOf(byKey);
    this.metrics = metrics;
  }

  /** Sends {@code push} in the lane of {@code key}; absent or unknown: a configuration error. */
  public Mono<DispatchOutcome> dispatch(@Nullable K key, Push push) {
    Lane lane = key == null ? null : byKey.get(key);
    if (lane == null) {
      return Mono.fromSupplier(
          () -> {
            DispatchOutcome outcome =
                new DispatchOutcome.ConfigurationError(LaneReason.APP_NOT_CONFIGURED);
            metrics.push(platform, UNCONFIGURED, outcome);
            return outcome;
          });
    }
    return lane.dispatch(push);
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
