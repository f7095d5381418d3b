package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import dev.inboxpush.store.AccountsChangedException;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.PendingEntry;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DynaliteExtension.class)
class DynamoListenerStateStoreIT {

  private StoreFixture fixture;
  private ListenerStateStore store;

  @BeforeEach
  void openStore(Dynalite dynalite) {
    fixture = new StoreFixture(dynalite);
    store = fixture.store.listenerState();
  }

  @AfterEach
  void closeStore() {
    fixture.close();
  }

  @Test
  void aRegistrationNoListenerWroteHasEmptyState() {
    RegistrationId id = RegistrationId.random();

    assertThat(await(store.find(id))).isEqualTo(ListenerState.empty(id));
  }

  @Test
  void oneUpdateWritesEveryFieldTogether() {
    RegistrationId id = RegistrationId.random();
    Instant now = fixture.clock.instant();

    await(
        store.update(
            id,
            new ListenerStateUpdate()
                .lastSeen(now)
                .watermark(SubscriptionId.of("sub-1"), Watermark.of("AAAAAHN1Yg=="))
                .unreadCount(0)
                .subscriptionError(true)
                .pushOutcome("accepted", now)
                .acceptedAt(ListenerState.channel(Platform.APNS, ApnsEnvironment.SANDBOX), now)));

    ListenerState state = await(store.find(id));
    assertThat(state.lastSeen()).isEqualTo(now);
    assertThat(state.lastSubscriptionId()).isEqualTo(SubscriptionId.of("sub-1"));
    assertThat(state.lastWatermark()).isEqualTo(Watermark.of("AAAAAHN1Yg=="));
    assertThat(state.lastUnreadCount()).isZero();
    assertThat(state.subscriptionError()).isTrue();
    assertThat(state.lastPushOutcome()).isEqualTo("accepted");
    assertThat(state.lastPushAt()).isEqualTo(now);
    assertThat(state.lastAcceptedAt(Platform.APNS, ApnsEnvironment.SANDBOX)).contains(now);
    assertThat(state.lastAcceptedAt(Platform.APNS, ApnsEnvironment.PRODUCTION)).isEmpty();
    assertThat(state.updatedAt()).isEqualTo(now);
  }

  @Test
  void learnedSubscriptionAndInboxAreKept() {
    RegistrationId id = RegistrationId.random();

    await(
        store.update(
            id,
            new ListenerStateUpdate()
                .learnedSubscription(SubscriptionId.of("learned-sub"))
                .learnedInbox(dev.inboxpush.model.FolderId.of("AQMkInbox"))));

    ListenerState state = await(store.find(id));
    assertThat(state.learnedSubscriptionId()).isEqualTo(SubscriptionId.of("learned-sub"));
    assertThat(state.learnedInboxFolderId())
        .isEqualTo(dev.inboxpush.model.FolderId.of("AQMkInbox"));
  }

  @Test
  void aPendingPushDueLaterIsNotFoundBeforeItIsDue() {
    RegistrationId id = RegistrationId.random();
    Instant due = fixture.clock.instant().plus(Duration.ofSeconds(20));

    PendingBadge pending = await(store.setPending(id, null, PushKind.UNREAD_CHANGED, false, due));

    assertThat(pending.nextAttemptAt()).isEqualTo(due);
    assertThat(await(store.findDuePending(10))).isEmpty();
    fixture.clock.set(due);
    assertThat(await(store.findDuePending(10)))
        .extracting(PendingEntry::pending)
        .containsExactly(pending);
  }

  @Test
  void laterUpdatesLeaveUnsetFieldsAlone() {
    RegistrationId id = RegistrationId.random();
    await(store.update(id, new ListenerStateUpdate().unreadCount(7).subscriptionError(true)));

    await(store.update(id, new ListenerStateUpdate().subscriptionError(false)));

    ListenerState state = await(store.find(id));
    assertThat(state.lastUnreadCount()).isEqualTo(7);
    assertThat(state.subscriptionError()).isFalse();
  }

  @Test
  void anEmptyUpdateWritesNothing() {
    await(store.update(RegistrationId.random(), new ListenerStateUpdate()));

    assertThat(fixture.allItems()).isEmpty();
  }

  @Test
  void lastSeenIsWrittenAtMostEveryHalfStatusFrequency() {
    RegistrationId id = RegistrationId.random();
    StatusFrequency frequency = new StatusFrequency(30);

    assertThat(await(store.touchLastSeen(id, frequency))).isTrue();
    Instant first = fixture.clock.instant();
    fixture.clock.advance(Duration.ofMinutes(14));
    assertThat(await(store.touchLastSeen(id, frequency))).isFalse();
    assertThat(await(store.find(id)).lastSeen()).isEqualTo(first);

    Instant later = fixture.clock.advance(Duration.ofMinutes(1));
    assertThat(await(store.touchLastSeen(id, frequency))).isTrue();
    assertThat(await(store.find(id)).lastSeen()).isEqualTo(later);
  }

  @Test
  void stalenessIsComputedFromLastSeenAndStatusFrequency() {
    RegistrationId id = RegistrationId.random();
    Instant boundAt = fixture.clock.instant();
    await(store.touchLastSeen(id, StatusFrequency.EXCHANGE_DEFAULT));
    ListenerState state = await(store.find(id));

    assertThat(
            state.isStale(
                boundAt.plus(Duration.ofMinutes(60)), StatusFrequency.EXCHANGE_DEFAULT, boundAt))
        .isFalse();
    assertThat(
            state.isStale(
                boundAt.plus(Duration.ofMinutes(61)), StatusFrequency.EXCHANGE_DEFAULT, boundAt))
        .isTrue();
  }

  @Test
  void aPendingBadgeIsFoundWhenDueAndClearedOnlyByItsOwnId() {
    RegistrationId id = RegistrationId.random();
    PendingBadge older = await(store.setPending(id, 4, PushKind.NEW_MAIL, true));
    PendingBadge newer = await(store.setPending(id, 5, PushKind.UNREAD_CHANGED, false));

    List<PendingEntry> due = await(store.findDuePending(10));
    assertThat(due).containsExactly(new PendingEntry(id, newer));
    assertThat(newer.badge()).isEqualTo(5);
    assertThat(newer.newMail()).isFalse();

    // A worker that delivered the older value must not clear the newer one.
    assertThat(await(store.clearPending(id, older.pendingId()))).isFalse();
    assertThat(await(store.find(id)).pending()).isEqualTo(newer);

    assertThat(await(store.clearPending(id, newer.pendingId()))).isTrue();
    assertThat(await(store.find(id)).pending()).isNull();
    assertThat(await(store.findDuePending(10))).isEmpty();
    // the sparse index attributes are gone with it
    assertThat(fixture.items(TableLayout.SK_LISTENER).get(0))
        .doesNotContainKeys(TableLayout.ATTR_PENDING_SHARD, TableLayout.ATTR_PENDING_NEXT);
  }

  @Test
  void aWakeUpWithoutCountIsPendingWithoutBadge() {
    RegistrationId id = RegistrationId.random();
    await(store.setPending(id, 9, PushKind.NEW_MAIL, true));

    PendingBadge wake = await(store.setPending(id, null, PushKind.RESUBSCRIBE, false));

    assertThat(await(store.find(id)).pending()).isEqualTo(wake);
    assertThat(wake.badge()).isNull();
  }

  @Test
  void reschedulingHidesTheBadgeUntilItIsDueAndCountsAttempts() {
    RegistrationId id = RegistrationId.random();
    PendingBadge pending = await(store.setPending(id, 2, PushKind.NEW_MAIL, true));
    Instant next = fixture.clock.instant().plus(Duration.ofSeconds(30));

    assertThat(await(store.reschedulePending(id, pending.pendingId(), next))).isTrue();

    assertThat(await(store.findDuePending(10))).isEmpty();
    fixture.clock.set(next);
    List<PendingEntry> due = await(store.findDuePending(10));
    assertThat(due).hasSize(1);
    assertThat(due.get(0).pending().attempts()).isEqualTo(1);
    assertThat(due.get(0).pending().nextAttemptAt()).isEqualTo(next);
    assertThat(await(store.reschedulePending(id, "not-the-id", next))).isFalse();
  }

  @Test
  void duePendingBadgesAreFoundAcrossEveryShardAndLimitedPerShard() {
    List<RegistrationId> ids =
        IntStream.range(0, 40).mapToObj(i -> RegistrationId.random()).toList();
    ids.forEach(id -> await(store.setPending(id, 1, PushKind.NEW_MAIL, false)));

    assertThat(await(store.findDuePending(100)))
        .extracting(PendingEntry::registrationId)
        .containsExactlyInAnyOrderElementsOf(ids);
    List<PendingEntry> onePerShard = await(store.findDuePending(1));
    int shards = fixture.settings.pendingShards();
    assertThat(onePerShard).isNotEmpty().hasSizeLessThanOrEqualTo(shards);
    assertThat(onePerShard)
        .extracting(entry -> TableLayout.pendingShard(entry.registrationId(), shards))
        .doesNotHaveDuplicates();
  }

  @Test
  void anotherAccountsSumMarksTheStateSharedAndFailsAWriteConditionedOnTheOldMarks() {
    RegistrationId id = RegistrationId.random();
    await(
        store.update(
            id,
            new ListenerStateUpdate().unreadCount(3).soleAccountFor(Instant.ofEpochMilli(1_000))));
    ListenerState read = await(store.find(id));
    assertThat(read.soleAccountFor()).isEqualTo(Instant.ofEpochMilli(1_000));
    assertThat(read.sharedMarks()).isZero();

    ListenerState shared = await(store.markShared(id));
    assertThat(shared.lastUnreadCount()).isEqualTo(3);
    assertThat(shared.soleAccountFor()).isNull();
    assertThat(shared.sharedMarks()).isEqualTo(1);

    assertThatThrownBy(
            () ->
                await(
                    store.update(
                        id,
                        new ListenerStateUpdate()
                            .unreadCount(9)
                            .onlyIfNotSharedSince(read.sharedMarks()))))
        .isInstanceOf(AccountsChangedException.class);
    assertThat(await(store.find(id)).lastUnreadCount()).as("nothing written").isEqualTo(3);
    await(
        store.update(
            id,
            new ListenerStateUpdate().unreadCount(9).onlyIfNotSharedSince(shared.sharedMarks())));
    assertThat(await(store.find(id)).lastUnreadCount()).isEqualTo(9);
  }

  @Test
  void aStateNeverMarkedAcceptsAWriteConditionedOnNoMarks() {
    RegistrationId id = RegistrationId.random();

    await(store.update(id, new ListenerStateUpdate().unreadCount(1).onlyIfNotSharedSince(0)));
    assertThat(await(store.find(id)).lastUnreadCount()).isEqualTo(1);
    assertThat(await(store.markShared(RegistrationId.random())).lastUnreadCount()).isNull();
  }

  @Test
  void everyWriteStampsUpdatedAtAndExtendsTheTtl() {
    RegistrationId id = RegistrationId.random();
    await(store.touchLastSeen(id, StatusFrequency.EXCHANGE_DEFAULT));

    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item =
        fixture.items(TableLayout.SK_LISTENER).get(0);
    assertThat(Long.parseLong(item.get(TableLayout.ATTR_TTL).n()))
        .isEqualTo(
            fixture
                .clock
                .instant()
                .plus(fixture.settings.listenerStateRetention())
                .getEpochSecond());
  }
}
