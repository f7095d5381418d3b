package dev.inboxpush.listener.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The replication allowance (docs/architecture.md, "Three regions, one table"): how long the
 * evidence for an {@code Unsubscribe} must have stood in this region before it is trusted.
 *
 * <p>The table is a Global Table: a write in another region shows here only after replication
 * (typically within a second, longer while a region is in trouble), and a strongly consistent read
 * is consistent only with this region's replica. So a registration that is absent here, or bound
 * here to another subscription, may be one written or rebound moments ago elsewhere. The evidence
 * is trusted once it has been seen for the allowance: every write that came before its first
 * sighting has replicated by then. A registration is written before its callback URL is handed out,
 * and an app binds a subscription right after creating it, so no write that could contradict the
 * evidence comes much later than the first POST that shows it. Until then the POST is answered 503,
 * which Exchange retries (at 30 s, doubling), instead of {@code Unsubscribe}, which would end a
 * live subscription for good. Evidence this instance sees contradicted in between (the registration
 * found, the subscription accepted) is forgotten, so that its next sighting here starts over.
 *
 * <p>Sightings and contradictions are this instance's own: another instance, or this one after a
 * restart, sees the evidence afresh and waits its own allowance, which only delays an {@code
 * Unsubscribe}; but a contradiction seen only by another instance leaves this one's sighting
 * standing. That is safe for what the evidence can come back as: a registration found and then
 * absent again was deleted (a deleted registration's token is not reissued: its device claim
 * remembers it for 90 days, far beyond a sighting's life), and a subscription accepted and then
 * foreign again was replaced by a replicated rebind. A sighting first seen longer ago than the
 * allowance plus {@link #REMEMBERED} starts over. At most {@code maxSightings} are kept (beyond
 * that Caffeine's size policy drops some, which again only delays). A zero allowance (a
 * single-region table) trusts every consistent read at once.
 *
 * <p>Lifecycle: one per listener, a bean the answer rules and the delivery path share. Thread-safe;
 * never blocks (Caffeine's map operations). Times come from the injected clock.
 */
public final class ReplicationAllowance {

  /** How long past the allowance a first sighting still counts: longer than one POST's retries. */
  public static final Duration REMEMBERED = Duration.ofHours(1);

  /** Evidence that an {@code Unsubscribe} could rest on. */
  public sealed interface Evidence {}

  /** No registration has this callback token. */
  public record Absent(CallbackToken token) implements Evidence {}

  /** The registration is bound to a subscription other than {@code subscription}. */
  public record Foreign(RegistrationId registration, SubscriptionId subscription)
      implements Evidence {}

  /** No registration is bound to {@code subscription} (the compatibility mode's shared URL). */
  public record Unbound(SubscriptionId subscription) implements Evidence {}

  /**
   * The registration's device token is dead, as this region's replica names it (the app may have
   * rotated it in another region moments ago).
   */
  public record DeadToken(RegistrationId registration, DeviceToken token) implements Evidence {}

  private final Duration allowance;
  private final Clock clock;
  private final Cache<Evidence, Instant> firstSeen;

  public ReplicationAllowance(Duration allowance, Clock clock, int maxSightings) {
    this.allowance = allowance;
    this.clock = clock;
    this.firstSeen =
        Caffeine.newBuilder()
            .maximumSize(maxSightings)
            // Memory only; whether a sighting still counts is decided on the injected clock.
            .expireAfterWrite(allowance.plus(REMEMBERED))
            .build();
  }

  public Duration allowance() {
    return allowance;
  }

  /**
   * Whether {@code evidence} has stood for the allowance. The first sighting (or one after the
   * evidence was contradicted, or one too old to count) is recorded now and is not settled, unless
   * the allowance is zero.
   */
  public boolean settled(Evidence evidence) {
    if (allowance.isZero()) {
      return true;
    }
    Instant now = clock.instant();
    AtomicBoolean settled = new AtomicBoolean();
    firstSeen
        .asMap()
        .compute(
            evidence,
            (key, first) -> {
              if (first == null || first.plus(allowance).plus(REMEMBERED).isBefore(now)) {
                return now;
              }
              settled.set(!now.isBefore(first.plus(allowance)));
              return first;
            });
    return settled.get();
  }

  /** {@code evidence} no longer holds (the registration was found, the subscription accepted). */
  public void contradicted(Evidence evidence) {
    // Called for every POST that found its registration: with no sighting at all (the usual
    // case), there is nothing to look up.
    if (!allowance.isZero() && firstSeen.estimatedSize() > 0) {
      firstSeen.invalidate(evidence);
    }
  }
}
