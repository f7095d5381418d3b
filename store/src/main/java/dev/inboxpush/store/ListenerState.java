package dev.inboxpush.store;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What listeners know about a registration. Written only by listeners, in its own item, so that a
 * listener in one region and the registration API in another never overwrite each other's data.
 *
 * @param registrationId whose state this is
 * @param lastSeen when Exchange last posted for it (written at most every StatusFrequency/2)
 * @param lastSubscriptionId the SubscriptionId of the last POST answered {@code OK}
 * @param lastWatermark that POST's newest watermark, for de-duplication and gap detection
 * @param lastUnreadCount the last Inbox unread count Exchange sent; absent when never known
 * @param subscriptionError whether Exchange reported the subscription failed (the error form)
 * @param learnedSubscriptionId the SubscriptionId a registration without a bound one took from its
 *     first POST (only the holder of the secret callback URL can post)
 * @param learnedInboxFolderId the Inbox FolderId learned from the parent of the first NewMailEvent,
 *     where none was bound (compatibility mode)
 * @param lastPushOutcome the last dispatch outcome, as a bounded label
 * @param lastPushAt when that dispatch happened
 * @param acceptedAt when APNs/FCM last accepted a push, per delivery channel (see {@link #channel})
 * @param pending the badge waiting for redelivery, if any
 * @param graphLifecycle the last Graph lifecycle event received, if any (Graph registrations)
 * @param soleAccountFor set when the device's last badge sum found no other account registered on
 *     it: the registration's {@code tokenRegisteredAt} at that sum. While it still equals the
 *     registration's (no re-registration or token rotation since), the next badge is this account's
 *     count alone, with no sum read ({@link #isSoleAccount}); a listener that sums another account
 *     of the device clears it ({@link ListenerStateStore#markShared})
 * @param sharedMarks how many times a listener summing another account of the device has read this
 *     one ({@link ListenerStateStore#markShared}): a write conditioned on it being unchanged
 *     ({@link ListenerStateUpdate#onlyIfNotSharedSince}) fails when a sum read this account after
 *     this state was read
 * @param updatedAt when the item was last written
 */
public record ListenerState(
    RegistrationId registrationId,
    @Nullable Instant lastSeen,
    @Nullable SubscriptionId lastSubscriptionId,
    @Nullable Watermark lastWatermark,
    @Nullable Integer lastUnreadCount,
    boolean subscriptionError,
    @Nullable SubscriptionId learnedSubscriptionId,
    @Nullable FolderId learnedInboxFolderId,
    @Nullable String lastPushOutcome,
    @Nullable Instant lastPushAt,
    Map<String, Instant> acceptedAt,
    @Nullable PendingBadge pending,
    @Nullable GraphLifecycle graphLifecycle,
    @Nullable Instant soleAccountFor,
    long sharedMarks,
    @Nullable Instant updatedAt) {

  public ListenerState {
    acceptedAt = Map.copyOf(acceptedAt);
  }

  /** The state of a registration no listener has written yet. */
  public static ListenerState empty(RegistrationId id) {
    return new ListenerState(
        id, null, null, null, null, false, null, null, null, null, Map.of(), null, null, null, 0,
        null);
  }

  /**
   * Whether the device's last sum found this registration alone, for its current device token: a
   * re-registration or a token rotation since (a new {@code tokenRegisteredAt}) ends it.
   */
  public boolean isSoleAccount(Registration registration) {
    return soleAccountFor != null && soleAccountFor.equals(registration.tokenRegisteredAt());
  }

  /**
   * The delivery channel a token is accepted on: {@code fcm}, or the APNs environment's name. APNs
   * {@code BadDeviceToken} means a dead token only on a channel that accepted the token before.
   */
  public static String channel(Platform platform, @Nullable ApnsEnvironment environment) {
    return platform == Platform.FCM || environment == null ? "fcm" : environment.wireName();
  }

  /** When a push to this registration was last accepted on the channel. */
  public Optional<Instant> lastAcceptedAt(
      Platform platform, @Nullable ApnsEnvironment environment) {
    return Optional.ofNullable(acceptedAt.get(channel(platform, environment)));
  }

  /**
   * Whether the subscription is stale at {@code now}: silent for longer than twice its
   * StatusFrequency. Computed on read, never by a scan. A registration never seen counts from
   * {@code boundAt}.
   */
  public boolean isStale(Instant now, StatusFrequency frequency, Instant boundAt) {
    Instant reference = lastSeen != null && lastSeen.isAfter(boundAt) ? lastSeen : boundAt;
    return reference.plus(frequency.staleAfter()).isBefore(now);
  }
}
