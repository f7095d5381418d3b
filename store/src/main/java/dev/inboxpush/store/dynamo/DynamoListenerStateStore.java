package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.bool;
import static dev.inboxpush.store.dynamo.Attributes.millis;
import static dev.inboxpush.store.dynamo.Attributes.n;
import static dev.inboxpush.store.dynamo.Attributes.s;
import static dev.inboxpush.store.dynamo.Attributes.ttl;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_ACCEPTED_AT;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_GRAPH_LIFECYCLE;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_GRAPH_LIFECYCLE_AT;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_GRAPH_LIFECYCLE_SUBSCRIPTION;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LAST_PUSH_AT;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LAST_PUSH_OUTCOME;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LAST_SEEN;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LAST_SUBSCRIPTION_ID;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LAST_UNREAD;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LAST_WATERMARK;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LEARNED_INBOX;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_LEARNED_SUBSCRIPTION_ID;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_ATTEMPTS;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_BADGE;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_ID;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_KIND;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_NEW_MAIL;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_NEXT;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_SHARD;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_PENDING_SINCE;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_SHARED_MARKS;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_SOLE_ACCOUNT;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_SUBSCRIPTION_ERROR;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_TTL;
import static dev.inboxpush.store.dynamo.TableLayout.ATTR_UPDATED_AT;

import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import dev.inboxpush.store.AccountsChangedException;
import dev.inboxpush.store.GraphLifecycle;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.PendingEntry;
import dev.inboxpush.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ListenerStateStore} on the listener-state items of the table (layout in {@link
 * TableLayout}).
 *
 * <p>Pending badges carry {@code pendingShard} and {@code pendingNextAt} only while pending, which
 * makes {@value TableLayout#GSI_PENDING} a sparse index: the redelivery worker queries it per shard
 * and never scans. Several listener instances may query it at once; each clear and reschedule is
 * conditioned on the {@code pendingId} it read, so a newer badge is never cleared by a worker that
 * delivered an older one (duplicates are possible and harmless: badges are absolute).
 *
 * <p>Thread-safe; holds no state besides the client (in its {@link TableRequests}). Lifecycle: the
 * caller owns the client.
 */
public final class DynamoListenerStateStore implements ListenerStateStore {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DynamoListenerStateStore.class);

  private static final String ACCEPTED_PREFIX = ATTR_ACCEPTED_AT + "_";
  private static final int READ_CONCURRENCY = 8;

  private final TableRequests table;
  private final int shards;
  private final Duration retention;
  private final Clock clock;

  public DynamoListenerStateStore(DynamoDbAsyncClient client, StoreSettings settings, Clock clock) {
    this.table = new TableRequests(client, settings.tableName());
    this.shards = settings.pendingShards();
    this.retention = settings.listenerStateRetention();
    this.clock = clock;
  }

  static Map<String, AttributeValue> key(RegistrationId id) {
    return Map.of(
        TableLayout.PK, s(TableLayout.registrationPk(id)),
        TableLayout.SK, s(TableLayout.SK_LISTENER));
  }

  @Override
  public Mono<ListenerState> find(RegistrationId id) {
    return table
        .get("GetItem(listener state)", key(id))
        .map(item -> fromItem(id, item))
        .defaultIfEmpty(ListenerState.empty(id));
  }

  @Override
  public Mono<Boolean> touchLastSeen(RegistrationId id, StatusFrequency frequency) {
    return Mono.defer(
        () -> {
          Instant now = now();
          Expression update =
              stamp(new Expression(), now)
                  .set(ATTR_LAST_SEEN, millis(now))
                  .ifMissingOrAtMost(
                      ATTR_LAST_SEEN, millis(now.minus(frequency.lastSeenWriteInterval())));
          return table.updateIf("UpdateItem(lastSeen)", key(id), update);
        });
  }

  @Override
  public Mono<Void> update(RegistrationId id, ListenerStateUpdate changes) {
    if (changes.isEmpty()) {
      return Mono.empty();
    }
    return Mono.defer(
        () -> {
          Expression update = stamp(new Expression(), now());
          if (changes.lastSeen() != null) {
            update.set(ATTR_LAST_SEEN, millis(changes.lastSeen()));
          }
          SubscriptionId subscriptionId = changes.subscriptionId();
          Watermark watermark = changes.watermark();
          if (subscriptionId != null && watermark != null) {
            update.set(ATTR_LAST_SUBSCRIPTION_ID, s(subscriptionId.value()));
            update.set(ATTR_LAST_WATERMARK, s(watermark.value()));
          }
          if (changes.unreadCount() != null) {
            update.set(ATTR_LAST_UNREAD, n(changes.unreadCount()));
          }
          if (changes.subscriptionError() != null) {
            update.set(ATTR_SUBSCRIPTION_ERROR, bool(changes.subscriptionError()));
          }
          if (changes.learnedSubscriptionId() != null) {
            update.set(ATTR_LEARNED_SUBSCRIPTION_ID, s(changes.learnedSubscriptionId().value()));
          }
          if (changes.graphLifecycle() != null) {
            GraphLifecycle lifecycle = changes.graphLifecycle();
            update
                .set(ATTR_GRAPH_LIFECYCLE, s(lifecycle.event().graphName()))
                .set(ATTR_GRAPH_LIFECYCLE_SUBSCRIPTION, s(lifecycle.subscriptionId().value()))
                .set(ATTR_GRAPH_LIFECYCLE_AT, millis(lifecycle.at()));
          }
          if (changes.learnedInboxFolderId() != null) {
            update.set(ATTR_LEARNED_INBOX, s(changes.learnedInboxFolderId().value()));
          }
          if (changes.pushOutcome() != null && changes.pushAt() != null) {
            update.set(ATTR_LAST_PUSH_OUTCOME, s(changes.pushOutcome()));
            update.set(ATTR_LAST_PUSH_AT, millis(changes.pushAt()));
          }
          changes
              .acceptedAt()
              .forEach((channel, at) -> update.set(ACCEPTED_PREFIX + channel, millis(at)));
          if (changes.setsSoleAccount()) {
            if (changes.soleAccountFor() != null) {
              update.set(ATTR_SOLE_ACCOUNT, millis(changes.soleAccountFor()));
            } else {
              update.remove(ATTR_SOLE_ACCOUNT);
            }
          }
          Long marks = changes.notSharedSince();
          if (marks == null) {
            return table.update("UpdateItem(listener state)", key(id), update);
          }
          if (marks == 0) {
            update.ifMissingOrEquals(ATTR_SHARED_MARKS, n(0));
          } else {
            update.ifEquals(ATTR_SHARED_MARKS, n(marks));
          }
          return table
              .update("UpdateItem(listener state)", key(id), update)
              .onErrorMap(
                  ConditionalCheckFailedException.class,
                  e ->
                      new AccountsChangedException(
                          "registration " + id + ": another account of the device was summed"));
        });
  }

  @Override
  public Mono<ListenerState> markShared(RegistrationId id) {
    return Mono.defer(
        () -> {
          Expression update =
              stamp(new Expression(), now())
                  .remove(ATTR_SOLE_ACCOUNT)
                  .increment(ATTR_SHARED_MARKS, 1);
          return table
              .updateReturning(
                  "UpdateItem(listener state, shared)", key(id), update, ReturnValue.ALL_NEW)
              .map(item -> fromItem(id, item));
        });
  }

  @Override
  public Mono<PendingBadge> setPending(
      RegistrationId id,
      @Nullable Integer badge,
      PushKind kind,
      boolean newMail,
      @Nullable Instant dueAt) {
    if (badge != null && badge < 0) {
      return Mono.error(new IllegalArgumentException("a badge is never negative"));
    }
    return Mono.defer(
        () -> {
          Instant now = now();
          Instant due = dueAt == null ? now : dueAt.truncatedTo(ChronoUnit.MILLIS);
          PendingBadge pending =
              new PendingBadge(UUID.randomUUID().toString(), badge, kind, newMail, now, due, 0);
          Expression update =
              stamp(new Expression(), now)
                  .set(ATTR_PENDING_ID, s(pending.pendingId()))
                  .set(ATTR_PENDING_KIND, s(kind.wireName()))
                  .set(ATTR_PENDING_NEW_MAIL, bool(newMail))
                  .set(ATTR_PENDING_SINCE, millis(now))
                  .set(ATTR_PENDING_NEXT, millis(due))
                  .set(ATTR_PENDING_ATTEMPTS, n(0))
                  .set(ATTR_PENDING_SHARD, s(TableLayout.pendingShard(id, shards)));
          if (badge != null) {
            update.set(ATTR_PENDING_BADGE, n(badge));
          } else {
            update.remove(ATTR_PENDING_BADGE);
          }
          return table.update("UpdateItem(pending)", key(id), update).thenReturn(pending);
        });
  }

  @Override
  public Mono<Boolean> clearPending(RegistrationId id, String pendingId) {
    return Mono.defer(
        () -> {
          Expression update =
              stamp(new Expression(), now())
                  .remove(ATTR_PENDING_ID)
                  .remove(ATTR_PENDING_BADGE)
                  .remove(ATTR_PENDING_KIND)
                  .remove(ATTR_PENDING_NEW_MAIL)
                  .remove(ATTR_PENDING_SINCE)
                  .remove(ATTR_PENDING_NEXT)
                  .remove(ATTR_PENDING_ATTEMPTS)
                  .remove(ATTR_PENDING_SHARD)
                  .ifEquals(ATTR_PENDING_ID, s(pendingId));
          return table.updateIf("UpdateItem(clear pending)", key(id), update);
        });
  }

  @Override
  public Mono<Boolean> reschedulePending(
      RegistrationId id, String pendingId, Instant nextAttemptAt) {
    return Mono.defer(
        () -> {
          Expression update =
              stamp(new Expression(), now())
                  .set(ATTR_PENDING_NEXT, millis(nextAttemptAt))
                  .increment(ATTR_PENDING_ATTEMPTS, 1)
                  .ifEquals(ATTR_PENDING_ID, s(pendingId));
          return table.updateIf("UpdateItem(reschedule pending)", key(id), update);
        });
  }

  @Override
  public Flux<PendingEntry> findDuePending(int limitPerShard) {
    if (limitPerShard < 1) {
      return Flux.error(new IllegalArgumentException("limitPerShard must be positive"));
    }
    return Flux.defer(
        () -> {
          Instant now = now();
          return Flux.range(0, shards)
              .concatMap(shard -> dueInShard("P#" + shard, now, limitPerShard));
        });
  }

  private Flux<PendingEntry> dueInShard(String shard, Instant now, int limit) {
    Expression due =
        new Expression()
            .ifEquals(ATTR_PENDING_SHARD, s(shard))
            .ifAtMost(ATTR_PENDING_NEXT, millis(now));
    return table
        .queryFirst("Query(pending)", TableLayout.GSI_PENDING, due, limit)
        .flatMap(
            item -> {
              try {
                RegistrationId id =
                    RegistrationId.of(
                        Attributes.requiredString(item, TableLayout.PK).substring("REG#".length()));
                PendingBadge pending = pendingOf(item);
                return pending == null ? Mono.empty() : Mono.just(new PendingEntry(id, pending));
              } catch (RuntimeException e) {
                // An item this version cannot read (written by another one?) must not block the
                // rest.
                log.warn("skipping an unreadable pending entry: {}", e.getMessage());
                return Mono.empty();
              }
            });
  }

  @Override
  public Mono<Void> delete(RegistrationId id) {
    return table.delete("DeleteItem(listener state)", key(id));
  }

  /** The store keeps milliseconds, so every instant it writes or hands out is truncated to them. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- mapping --------------------------------------------------------------------------------

  /** Every write stamps updatedAt and pushes the TTL out by the retention. */
  private Expression stamp(Expression update, Instant now) {
    return update.set(ATTR_UPDATED_AT, millis(now)).set(ATTR_TTL, ttl(now.plus(retention)));
  }

  static ListenerState fromItem(RegistrationId id, Map<String, AttributeValue> item) {
    String subscriptionId = Attributes.string(item, ATTR_LAST_SUBSCRIPTION_ID);
    String watermark = Attributes.string(item, ATTR_LAST_WATERMARK);
    Long unread = Attributes.number(item, ATTR_LAST_UNREAD);
    Long sharedMarks = Attributes.number(item, ATTR_SHARED_MARKS);
    String learned = Attributes.string(item, ATTR_LEARNED_SUBSCRIPTION_ID);
    String learnedInbox = Attributes.string(item, ATTR_LEARNED_INBOX);
    Map<String, Instant> accepted = new HashMap<>();
    item.forEach(
        (name, value) -> {
          if (name.startsWith(ACCEPTED_PREFIX) && value.n() != null) {
            accepted.put(
                name.substring(ACCEPTED_PREFIX.length()),
                Instant.ofEpochMilli(Long.parseLong(value.n())));
          }
        });
    return new ListenerState(
        id,
        Attributes.instant(item, ATTR_LAST_SEEN),
        subscriptionId == null ? null : SubscriptionId.of(subscriptionId),
        watermark == null ? null : Watermark.of(watermark),
        unread == null ? null : unread.intValue(),
        Attributes.flag(item, ATTR_SUBSCRIPTION_ERROR),
        learned == null ? null : SubscriptionId.of(learned),
        learnedInbox == null ? null : FolderId.of(learnedInbox),
        Attributes.string(item, ATTR_LAST_PUSH_OUTCOME),
        Attributes.instant(item, ATTR_LAST_PUSH_AT),
        accepted,
        pendingOf(item),
        lifecycleOf(item),
        Attributes.instant(item, ATTR_SOLE_ACCOUNT),
        sharedMarks == null ? 0 : sharedMarks,
        Attributes.instant(item, ATTR_UPDATED_AT));
  }

  private static @Nullable GraphLifecycle lifecycleOf(Map<String, AttributeValue> item) {
    String event = Attributes.string(item, ATTR_GRAPH_LIFECYCLE);
    String subscription = Attributes.string(item, ATTR_GRAPH_LIFECYCLE_SUBSCRIPTION);
    Instant at = Attributes.instant(item, ATTR_GRAPH_LIFECYCLE_AT);
    if (event == null || subscription == null || at == null) {
      return null;
    }
    // An event this version does not know (written by a newer one) reads as none.
    return GraphLifecycleEvent.fromGraph(event)
        .map(known -> new GraphLifecycle(known, SubscriptionId.of(subscription), at))
        .orElse(null);
  }

  private static @Nullable PendingBadge pendingOf(Map<String, AttributeValue> item) {
    String pendingId = Attributes.string(item, ATTR_PENDING_ID);
    if (pendingId == null) {
      return null;
    }
    Long badge = Attributes.number(item, ATTR_PENDING_BADGE);
    Long attempts = Attributes.number(item, ATTR_PENDING_ATTEMPTS);
    return new PendingBadge(
        pendingId,
        badge == null ? null : badge.intValue(),
        PushKind.fromWire(Attributes.requiredString(item, ATTR_PENDING_KIND))
            .orElseThrow(() -> new IllegalStateException("unknown pending kind")),
        Attributes.flag(item, ATTR_PENDING_NEW_MAIL),
        Attributes.requiredInstant(item, ATTR_PENDING_SINCE),
        Attributes.requiredInstant(item, ATTR_PENDING_NEXT),
        attempts == null ? 0 : attempts.intValue());
  }
}
