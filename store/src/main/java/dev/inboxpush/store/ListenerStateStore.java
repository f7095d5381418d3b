package dev.inboxpush.store;

import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.StatusFrequency;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Listener state: written only by listeners, one item per registration beside (not inside) the
 * registration item.
 *
 * <p>Every method is lazy and non-blocking; reads are strongly consistent. Failures to reach the
 * store surface as {@link StoreUnavailableException}. Writes are idempotent and stamp {@code
 * updatedAt}; each extends the item's TTL by the configured retention.
 */
public interface ListenerStateStore {

  /** The state of a registration; {@link ListenerState#empty} when no listener wrote any yet. */
  Mono<ListenerState> find(RegistrationId id);

  /**
   * Writes lastSeen = now unless it was written less than StatusFrequency/2 ago (heartbeats then
   * cost no write). Emits whether it wrote.
   */
  Mono<Boolean> touchLastSeen(RegistrationId id, StatusFrequency frequency);

  /**
   * Applies the changes in one write. An empty update writes nothing. One made {@link
   * ListenerStateUpdate#onlyIfNotSharedSince} fails with {@link AccountsChangedException}, writing
   * nothing, when another account's sum has read this state since.
   */
  Mono<Void> update(RegistrationId id, ListenerStateUpdate update);

  /**
   * Removes a registration's {@code soleAccountFor} and counts one more {@code sharedMarks}
   * (another account of its device is being summed), emitting its state as it is after that, in one
   * write: the sum reads the count, and any write of that registration conditioned on the marks it
   * read before ({@link ListenerStateUpdate#onlyIfNotSharedSince}) fails, so that no count is lost
   * between two accounts that post at once. Creates the item when the registration has none yet (it
   * expires by TTL like any other).
   */
  Mono<ListenerState> markShared(RegistrationId id);

  /**
   * Sets the registration's pending badge, replacing any older one, due at once. Emits the stored
   * value with its new {@link PendingBadge#pendingId()}.
   */
  default Mono<PendingBadge> setPending(
      RegistrationId id, @Nullable Integer badge, PushKind kind, boolean newMail) {
    return setPending(id, badge, kind, newMail, null);
  }

  /**
   * Sets the registration's pending badge, replacing any older one, due at {@code dueAt} (now when
   * null): a throttled wake-up is a pending push due when its throttle window ends.
   */
  Mono<PendingBadge> setPending(
      RegistrationId id,
      @Nullable Integer badge,
      PushKind kind,
      boolean newMail,
      @Nullable Instant dueAt);

  /**
   * Clears the pending badge if it is still {@code pendingId} (a newer one stays). Emits whether it
   * cleared.
   */
  Mono<Boolean> clearPending(RegistrationId id, String pendingId);

  /**
   * Counts an attempt and moves the pending badge's next attempt to {@code nextAttemptAt}, if it is
   * still {@code pendingId}. Emits whether it did.
   */
  Mono<Boolean> reschedulePending(RegistrationId id, String pendingId, Instant nextAttemptAt);

  /**
   * Pending badges due now, through the sparse pending index (never a scan): up to {@code
   * limitPerShard} from each shard, oldest due first.
   */
  Flux<PendingEntry> findDuePending(int limitPerShard);

  /** Removes the state (when its registration is deleted). */
  Mono<Void> delete(RegistrationId id);
}
