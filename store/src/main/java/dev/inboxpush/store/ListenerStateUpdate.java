package dev.inboxpush.store;

import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A set of listener-state changes written together in one request (a POST's watermark, count and
 * push outcome cost one write, not three). Unset fields are left as they are. Not thread-safe;
 * build, then hand to {@link ListenerStateStore#update}.
 */
public final class ListenerStateUpdate {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  private @Nullable Instant lastSeen;
  private @Nullable SubscriptionId subscriptionId;
  private @Nullable Watermark watermark;
  private @Nullable Integer unreadCount;
  private @Nullable Boolean subscriptionError;
  private @Nullable SubscriptionId learnedSubscriptionId;
  private @Nullable FolderId learnedInboxFolderId;
  private @Nullable String pushOutcome;
  private @Nullable Instant pushAt;
  private final Map<String, Instant> acceptedAt = new LinkedHashMap<>();
  private @Nullable GraphLifecycle graphLifecycle;
  private @Nullable Instant soleAccountFor;
  private boolean soleAccountSet;
  private @Nullable Long notSharedSince;

  /**
   * Sets lastSeen unconditionally (heartbeats use the throttled {@link
   * ListenerStateStore#touchLastSeen}).
   */
  public ListenerStateUpdate lastSeen(Instant at) {
    this.lastSeen = at;
    return this;
  }

  /** Records the newest watermark of a POST answered {@code OK}. */
  public ListenerStateUpdate watermark(SubscriptionId subscriptionId, Watermark watermark) {
    this.subscriptionId = subscriptionId;
    this.watermark = watermark;
    return this;
  }

  /** Records the Inbox unread count Exchange sent (0 is a count). */
  public ListenerStateUpdate unreadCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("an unread count is never negative");
    }
    this.unreadCount = count;
    return this;
  }

  /** Marks or clears the subscription-error flag. */
  public ListenerStateUpdate subscriptionError(boolean error) {
    this.subscriptionError = error;
    return this;
  }

  /** Records the SubscriptionId an unbound registration took from its first POST. */
  public ListenerStateUpdate learnedSubscription(SubscriptionId subscriptionId) {
    this.learnedSubscriptionId = subscriptionId;
    return this;
  }

  /** Records the Inbox FolderId learned from a NewMailEvent (compatibility mode). */
  public ListenerStateUpdate learnedInbox(FolderId inbox) {
    this.learnedInboxFolderId = inbox;
    return this;
  }

  /** Records a dispatch outcome (a bounded label such as {@code accepted}) and its time. */
  public ListenerStateUpdate pushOutcome(String outcome, Instant at) {
    if (!LABEL.matcher(outcome).matches()) {
      throw new IllegalArgumentException("a push outcome is a short lower-case label");
    }
    this.pushOutcome = outcome;
    this.pushAt = at;
    return this;
  }

  /** Records that a push was accepted on a channel (see {@link ListenerState#channel}). */
  public ListenerStateUpdate acceptedAt(String channel, Instant at) {
    if (!LABEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("a channel is a short lower-case label");
    }
    acceptedAt.put(channel, at);
    return this;
  }

  /** Records a Graph lifecycle event (the newest replaces the last one). */
  public ListenerStateUpdate graphLifecycle(GraphLifecycle event) {
    this.graphLifecycle = event;
    return this;
  }

  /** Whether nothing is set. */
  public boolean isEmpty() {
    return lastSeen == null
        && watermark == null
        && unreadCount == null
        && subscriptionError == null
        && learnedSubscriptionId == null
        && learnedInboxFolderId == null
        && pushOutcome == null
        && acceptedAt.isEmpty()
        && graphLifecycle == null
        && !soleAccountSet;
  }

  public @Nullable Instant lastSeen() {
    return lastSeen;
  }

  public @Nullable SubscriptionId subscriptionId() {
    return subscriptionId;
  }

  public @Nullable Watermark watermark() {
    return watermark;
  }

  public @Nullable Integer unreadCount() {
    return unreadCount;
  }

  public @Nullable Boolean subscriptionError() {
    return subscriptionError;
  }

  public @Nullable SubscriptionId learnedSubscriptionId() {
    return learnedSubscriptionId;
  }

  public @Nullable FolderId learnedInboxFolderId() {
    return learnedInboxFolderId;
  }

  public @Nullable String pushOutcome() {
    return pushOutcome;
  }

  public @Nullable Instant pushAt() {
    return pushAt;
  }

  public Map<String, Instant> acceptedAt() {
    return Map.copyOf(acceptedAt);
  }

  public @Nullable GraphLifecycle graphLifecycle() {
    return graphLifecycle;
  }

  /**
   * Records what the device's sum just found ({@link ListenerState#soleAccountFor}): the
   * registration's {@code tokenRegisteredAt} when it found no other account, null (removed) when it
   * found others.
   */
  public ListenerStateUpdate soleAccountFor(@Nullable Instant tokenRegisteredAt) {
    this.soleAccountFor = tokenRegisteredAt;
    this.soleAccountSet = true;
    return this;
  }

  /** Whether {@link #soleAccountFor} was set (its value may be null). */
  public boolean setsSoleAccount() {
    return soleAccountSet;
  }

  public @Nullable Instant soleAccountFor() {
    return soleAccountFor;
  }

  /**
   * Makes the write conditional on no listener having summed another account of the device since
   * the state was read ({@link ListenerState#sharedMarks} still {@code marks}): a badge sent as
   * this account's count alone, or a sum that found no other account, is recorded only then;
   * otherwise the write fails with {@link AccountsChangedException} and changes nothing, and the
   * caller sums and pushes again.
   */
  public ListenerStateUpdate onlyIfNotSharedSince(long marks) {
    this.notSharedSince = marks;
    return this;
  }

  /** Drops the {@link #onlyIfNotSharedSince} condition. */
  public ListenerStateUpdate unconditionally() {
    this.notSharedSince = null;
    return this;
  }

  public @Nullable Long notSharedSince() {
    return notSharedSince;
  }
}
