package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.assertOk;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static dev.inboxpush.listener.answer.ListenerHarness.owner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.delivery.PushDelivery;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.Watermark;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.time.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The answer rules and badge rules through real HTTP into the real application, dynalite behind it,
 * the scripted dispatcher in front of the devices, and a clock the tests move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class AnswerRulesIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("answers", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.answer.push-budget", () -> "300ms");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: an absence or a foreign binding is final at once
    // (ReplicationAllowanceIT, SharedUrlAllowanceIT and ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired Clock clock;
  @Autowired RedeliveryWorker worker;
  @Autowired PushDelivery delivery;
  @Autowired MeterRegistry meters;

  private ListenerHarness harness;
  private String token;

  @BeforeEach
  void setUp() {
    harness = new ListenerHarness(http, store);
    dispatcher.reset();
    token = apnsToken();
  }

  private MutableClock clock() {
    return (MutableClock) clock;
  }

  private List<Push> pushes() {
    return dispatcher.receivedFor(token);
  }

  private double pushesWithReason(LaneReason reason) {
    return meters.find("inboxpush.listener.pushes").tag("reason", reason.tag()).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private double counter(String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double cacheGets(String result) {
    return meters
        .find("cache.gets")
        .tag("cache", "callback-tokens")
        .tag("result", result)
        .functionCounters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static byte[] newMailWithCount(String subscription, int count) {
    return EwsPayloads.notification(subscription)
        .itemCreated("item-1", INBOX)
        .newMail("item-1", INBOX)
        .folderModified(INBOX, count)
        .build();
  }

  @Nested
  class Delivery {

    @Test
    void anAcceptedPushIsAnsweredOkAndItsWatermarkRecorded() {
      Registration registration = harness.register(token, binding("sub-1"));
      EwsPayloads payload =
          EwsPayloads.notification("sub-1").newMail("item-1", INBOX).folderModified(INBOX, 7);

      assertOk(harness.post(registration, payload.build()));

      assertThat(pushes()).hasSize(1);
      Push push = pushes().get(0);
      assertThat(push.badge()).isEqualTo(7);
      assertThat(push.kind()).isEqualTo(PushKind.NEW_MAIL);
      assertThat(push.highPriority()).isTrue();
      assertThat(push.registrationId()).isEqualTo(registration.id());
      assertThat(push.collapseKey()).isEqualTo(registration.id().value());
      ListenerState state = harness.state(registration);
      assertThat(state.lastWatermark()).isEqualTo(Watermark.of(payload.lastWatermark()));
      assertThat(state.lastUnreadCount()).isEqualTo(7);
      assertThat(state.lastPushOutcome()).isEqualTo("accepted");
      assertThat(state.lastAcceptedAt(registration.platform(), registration.apnsEnvironment()))
          .contains(clock.instant());
      assertThat(state.pending()).isNull();
    }

    @Test
    void aRetriedOkPostIsDeduplicated() {
      Registration registration = harness.register(token, binding("sub-1"));
      byte[] body = newMailWithCount("sub-1", 3);
      double before = counter("inboxpush.listener.dedupe.hits");

      assertOk(harness.post(registration, body));
      assertOk(harness.post(registration, body));

      assertThat(pushes()).hasSize(1);
      assertThat(counter("inboxpush.listener.dedupe.hits")).isEqualTo(before + 1);
    }

    @Test
    void aGapInTheWatermarkChainIsCounted() {
      Registration registration = harness.register(token, binding("sub-1"));
      double before = counter("inboxpush.listener.watermark.gaps");
      EwsPayloads first = EwsPayloads.notification("sub-1").folderModified(INBOX, 1);
      assertOk(harness.post(registration, first.build()));

      assertOk(
          harness.post(
              registration,
              EwsPayloads.notification("sub-1")
                  .previousWatermark(first.lastWatermark())
                  .folderModified(INBOX, 2)
                  .build()));
      assertThat(counter("inboxpush.listener.watermark.gaps")).isEqualTo(before);

      assertOk(
          harness.post(
              registration,
              EwsPayloads.notification("sub-1")
                  .previousWatermark("AQAAA-missed==")
                  .folderModified(INBOX, 3)
                  .build()));
      assertThat(counter("inboxpush.listener.watermark.gaps")).isEqualTo(before + 1);
    }

    @Test
    void aPushNotAcceptedWithinTheBudgetGoesPendingAndIsAnsweredOk() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answerAfter(token, Duration.ofSeconds(5), new DispatchOutcome.Accepted());
      double timeouts = pushesWithReason(LaneReason.TIMEOUT);

      assertOk(harness.post(registration, newMailWithCount("sub-1", 4)));

      PendingBadge pending = harness.state(registration).pending();
      assertThat(pending).isNotNull();
      assertThat(pending.badge()).isEqualTo(4);
      assertThat(pending.kind()).isEqualTo(PushKind.NEW_MAIL);
      assertThat(pending.newMail()).isTrue();
      assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("retryable");
      assertThat(pushesWithReason(LaneReason.TIMEOUT)).isEqualTo(timeouts + 1);
    }

    @Test
    void aTransientFailureGoesPendingAndIsAnsweredOk() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.Retryable(Duration.ofSeconds(60), "429"));

      assertOk(harness.post(registration, newMailWithCount("sub-1", 2)));

      assertThat(harness.state(registration).pending()).isNotNull();
      assertThat(harness.state(registration).lastWatermark()).isNotNull();
    }

    @Test
    void aConfigurationErrorEndsInOkAPendingBadgeAndDeliveryOnceTheDispatcherRecovers() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.ConfigurationError("InvalidProviderToken"));

      assertOk(harness.post(registration, newMailWithCount("sub-1", 5)));
      assertThat(harness.state(registration).pending()).isNotNull();
      assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNotNull();

      dispatcher.accept(token);
      worker.runOnce().block(TIMEOUT);

      assertThat(pushes()).hasSize(2);
      assertThat(pushes().get(1).badge()).isEqualTo(5);
      assertThat(harness.state(registration).pending()).isNull();
      assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("accepted");
    }

    @Test
    void aPermanentlyRefusedPushIsNotParked() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.Failed("InvalidArgument"));

      assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));

      assertThat(harness.state(registration).pending()).isNull();
      assertThat(harness.state(registration).lastPushOutcome()).isEqualTo("failed");
    }
  }

  @Nested
  class DeadTokens {

    @Test
    void aDeadTokenDeletesTheRegistrationAndAnswersUnsubscribe() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));

      assertThat(harness.post(registration, newMailWithCount("sub-1", 1)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);

      assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNull();
    }

    @Test
    void aDeadTokenForgetsTheCachedLookupOfEveryAccountOnTheDevice() {
      Registration first = harness.register(token, binding("sub-1"));
      Registration second = harness.register(token, binding("sub-2"));
      assertOk(harness.post(second, newMailWithCount("sub-2", 1))); // cached now

      dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));
      assertThat(harness.post(first, newMailWithCount("sub-1", 2)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);

      // The other account's entry is still fresh by the clock; from it, this POST would push
      // (accepted now) and get OK.
      dispatcher.accept(token);
      int pushed = pushes().size();
      assertThat(harness.post(second, newMailWithCount("sub-2", 3)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
      assertThat(pushes()).hasSize(pushed);
    }

    @Test
    void aDeadTokenReportOlderThanTheRegistrationSparesIt() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(
          token,
          new DispatchOutcome.TokenDead(clock.instant().minus(Duration.ofDays(1)), "Unregistered"));

      assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));

      assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNotNull();
    }
  }

  @Nested
  class Subscriptions {

    @Test
    void anUnboundRegistrationTakesTheFirstSubscriptionIdItSees() {
      Registration registration = harness.register(token, null);

      assertOk(
          harness.post(
              registration, EwsPayloads.notification("first").newMail("i", INBOX).build()));
      assertThat(harness.state(registration).learnedSubscriptionId().value()).isEqualTo("first");
      assertOk(harness.post(registration, EwsPayloads.notification("first").status("w").build()));

      assertThat(harness.post(registration, EwsPayloads.notification("second").status("w").build()))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
    }

    @Test
    void aRebindMakesTheOldSubscriptionGetUnsubscribeWhileTheNewOneWorks() {
      Registration registration = harness.register(token, binding("sub-old"));
      assertOk(harness.post(registration, newMailWithCount("sub-old", 1)));

      store
          .registrations()
          .bind(registration.owner(), registration.id(), binding("sub-new"))
          .block(TIMEOUT);

      assertOk(harness.post(registration, newMailWithCount("sub-new", 2)));
      assertThat(harness.post(registration, newMailWithCount("sub-old", 3)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
      assertThat(pushes()).extracting(Push::badge).containsExactly(1, 2);
    }

    @Test
    void aStaleNegativeCacheEntryNeverCausesAnUnsubscribe() {
      Registration registration = harness.register(token, binding("sub-1"));
      Instant now = clock.instant();
      // Seen from after its expiry, the registration is absent: Unsubscribe, and a negative entry.
      clock().set(registration.expiresAt().plusSeconds(1));
      assertThat(harness.post(registration, newMailWithCount("sub-1", 1)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);

      // Back to a time it is live: the cached "absent" is stale and must not be trusted.
      clock().set(now);
      assertOk(harness.post(registration, newMailWithCount("sub-1", 2)));
      assertThat(pushes()).extracting(Push::badge).containsExactly(2);
    }

    @Test
    void lookupsAreServedFromTheCacheAndCounted() {
      Registration registration = harness.register(token, binding("sub-1"));
      double hits = cacheGets("hit");

      assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));
      assertOk(harness.post(registration, newMailWithCount("sub-1", 2)));

      assertThat(cacheGets("hit")).isGreaterThanOrEqualTo(hits + 1);
      assertThat(cacheGets("miss")).isPositive();
    }

    @Test
    void theErrorFormMarksSubscriptionErrorAndWakesTheAppToResubscribe() {
      Registration registration = harness.register(token, binding("sub-1"));

      assertOk(harness.post(registration, EwsPayloads.failure("ErrorReadEventsFailed", "sub-1")));

      assertThat(harness.state(registration).subscriptionError()).isTrue();
      assertThat(pushes())
          .singleElement()
          .satisfies(
              push -> {
                assertThat(push.kind()).isEqualTo(PushKind.RESUBSCRIBE);
                assertThat(push.badge()).isNull();
              });
      // The next good notification clears the flag.
      assertOk(harness.post(registration, newMailWithCount("sub-1", 1)));
      assertThat(harness.state(registration).subscriptionError()).isFalse();
    }
  }

  @Nested
  class Redelivery {

    @Test
    void aRetryableBadgeIsRescheduledWithBackoffAndRetryAfterHonoured() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.Retryable(Duration.ofSeconds(60), "429"));
      assertOk(harness.post(registration, newMailWithCount("sub-1", 3)));
      // Parked due after the provider's Retry-After: not before.
      assertThat(harness.state(registration).pending().nextAttemptAt())
          .isEqualTo(clock.instant().plus(Duration.ofSeconds(60)));
      worker.runOnce().block(TIMEOUT);
      assertThat(pushes()).hasSize(1);

      clock().advance(Duration.ofSeconds(60));
      worker.runOnce().block(TIMEOUT);

      PendingBadge pending = harness.state(registration).pending();
      assertThat(pending.attempts()).isEqualTo(1);
      assertThat(pending.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofSeconds(60)));
      worker.runOnce().block(TIMEOUT);
      assertThat(pushes()).hasSize(2);

      dispatcher.accept(token);
      clock().advance(Duration.ofSeconds(60));
      worker.runOnce().block(TIMEOUT);
      assertThat(pushes()).hasSize(3);
      assertThat(harness.state(registration).pending()).isNull();
    }

    @Test
    void anOlderParkedBadgeIsNeverRedeliveredAfterANewerAcceptedOne() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503"));
      assertOk(harness.post(registration, newMailWithCount("sub-1", 5)));
      dispatcher.accept(token);

      assertOk(harness.post(registration, newMailWithCount("sub-1", 3)));
      worker.runOnce().block(TIMEOUT);

      assertThat(pushes()).extracting(Push::badge).containsExactly(5, 3);
      assertThat(harness.state(registration).pending()).isNull();
    }

    @Test
    void aRedeliveredBadgeIsSummedAgainForTheDevice() {
      Registration first = harness.register(owner(), token, binding("sub-a"));
      Registration second = harness.register(owner(), token, binding("sub-b"));
      assertOk(harness.post(first, newMailWithCount("sub-a", 2)));
      dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503"));
      assertOk(harness.post(second, newMailWithCount("sub-b", 3)));
      dispatcher.accept(token);
      assertOk(harness.post(first, newMailWithCount("sub-a", 0)));

      worker.runOnce().block(TIMEOUT);

      assertThat(pushes()).extracting(Push::badge).containsExactly(2, 5, 3, 3);
      assertThat(harness.state(second).pending()).isNull();
    }

    @Test
    void aDispatcherThatAnswersNothingParksTheBadge() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answerNothing(token);

      assertOk(harness.post(registration, newMailWithCount("sub-1", 6)));

      assertThat(harness.state(registration).pending().badge()).isEqualTo(6);
      assertThat(harness.state(registration).lastWatermark()).isNotNull();
    }

    @Test
    void aDispatcherThatFailsParksTheBadgeAsItsOwnReason() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.fail(token, new IllegalStateException("a defect in a dispatcher"));
      double before = pushesWithReason(LaneReason.DISPATCHER_ERROR);

      assertOk(harness.post(registration, newMailWithCount("sub-1", 7)));

      assertThat(harness.state(registration).pending().badge()).isEqualTo(7);
      assertThat(pushesWithReason(LaneReason.DISPATCHER_ERROR)).isEqualTo(before + 1);
    }

    @Test
    void badgesOlderThanTheMaximumAgeAreDroppedAndCounted() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503"));
      assertOk(harness.post(registration, newMailWithCount("sub-1", 3)));
      double dropped = counter("inboxpush.listener.pending.dropped");

      clock().advance(Duration.ofHours(7));
      worker.runOnce().block(TIMEOUT);

      assertThat(harness.state(registration).pending()).isNull();
      assertThat(pushes()).hasSize(1);
      // (The table is shared by the tests of this class: other tests' parked badges age too.)
      assertThat(counter("inboxpush.listener.pending.dropped")).isGreaterThanOrEqualTo(dropped + 1);
    }

    @Test
    void aDeadTokenFoundByTheWorkerDeletesTheRegistration() {
      Registration registration = harness.register(token, binding("sub-1"));
      dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503"));
      assertOk(harness.post(registration, newMailWithCount("sub-1", 3)));

      dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));
      worker.runOnce().block(TIMEOUT);

      assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNull();
      assertThat(worker.runOnce().block(TIMEOUT)).isZero();
    }

    @Test
    void aDeadTokenFoundByTheWorkerIsForgottenByTheLookupCacheAtOnce() {
      // Two accounts on one device; both callback tokens are in the lookup cache after a POST.
      Registration first = harness.register(token, binding("sub-1"));
      Registration second = harness.register(token, binding("sub-2"));
      assertOk(harness.post(second, newMailWithCount("sub-2", 1)));
      dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503"));
      assertOk(harness.post(first, newMailWithCount("sub-1", 3)));

      dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));
      worker.runOnce().block(TIMEOUT);
      assertThat(store.registrations().findById(first.id()).block(TIMEOUT)).isNull();
      assertThat(store.registrations().findById(second.id()).block(TIMEOUT)).isNull();

      // The clock has not moved, so a cached entry would still be fresh: answered from it, these
      // POSTs would push (accepted now) and get OK. Forgotten, they are confirmed absent.
      dispatcher.accept(token);
      int pushed = pushes().size();
      assertThat(harness.post(first, newMailWithCount("sub-1", 4)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
      assertThat(harness.post(second, newMailWithCount("sub-2", 2)))
          .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
      assertThat(pushes()).hasSize(pushed);
    }

    @Test
    void severalWorkersAtOnceLoseNoBadge() {
      List<Registration> parked = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String device = apnsToken();
        Registration registration = harness.register(device, binding("sub-" + i));
        dispatcher.answer(device, new DispatchOutcome.Retryable(null, "503"));
        assertOk(harness.post(registration, newMailWithCount("sub-" + i, i)));
        dispatcher.accept(device);
        parked.add(registration);
      }
      RedeliveryWorker second =
          new RedeliveryWorker(
              store.registrations(),
              store.listenerState(),
              delivery,
              new dev.inboxpush.listener.outbox.OutboxProperties(
                  false,
                  Duration.ofSeconds(1),
                  100,
                  4,
                  Duration.ofSeconds(5),
                  Duration.ofMinutes(5),
                  Duration.ofHours(6)),
              clock,
              new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

      reactor.core.publisher.Flux.merge(worker.runOnce(), second.runOnce()).blockLast(TIMEOUT);

      for (Registration registration : parked) {
        assertThat(dispatcher.receivedFor(registration.deviceToken().value()))
            .hasSizeGreaterThanOrEqualTo(2)
            .last()
            .extracting(Push::badge)
            .isEqualTo(registration.binding() == null ? null : parked.indexOf(registration));
        assertThat(harness.state(registration).pending()).isNull();
      }
    }
  }

  @Nested
  class Badges {

    @Test
    void zeroIsABadge() {
      Registration registration = harness.register(token, binding("sub-1"));

      assertOk(
          harness.post(
              registration, EwsPayloads.notification("sub-1").folderModified(INBOX, 0).build()));

      assertThat(pushes())
          .singleElement()
          .satisfies(
              push -> {
                assertThat(push.badge()).isZero();
                assertThat(push.kind()).isEqualTo(PushKind.UNREAD_CHANGED);
                assertThat(push.highPriority()).isFalse();
              });
    }

    @Test
    void otherFoldersNeverSetTheBadgeAndItemEventsAloneChangeNothing() {
      Registration registration = harness.register(token, binding("sub-1"));

      assertOk(
          harness.post(
              registration,
              EwsPayloads.notification("sub-1")
                  .folderModified("AQMkSubfolder=", 0)
                  .itemModified("item", "AQMkSubfolder=")
                  .itemModified("item", INBOX)
                  .build()));

      assertThat(pushes()).isEmpty();
      assertThat(harness.state(registration).lastUnreadCount()).isNull();
    }

    @Test
    void twoAccountsOnOneDeviceAreSummed() {
      Registration first = harness.register(owner(), token, binding("sub-a"));
      Registration second = harness.register(owner(), token, binding("sub-b"));

      assertOk(harness.post(first, newMailWithCount("sub-a", 3)));
      assertOk(harness.post(second, newMailWithCount("sub-b", 4)));

      assertThat(pushes()).extracting(Push::badge).containsExactly(3, 7);
      assertThat(pushes())
          .extracting(Push::registrationId)
          .containsExactly(first.id(), second.id());
    }

    @Test
    void anInboxEventWithoutACountWakesTheDeviceThrottledAndCoalesced() {
      Registration registration = harness.register(token, binding("sub-1"));
      byte[] withoutCount = EwsPayloads.notification("sub-1").folderModified(INBOX, null).build();

      assertOk(harness.post(registration, withoutCount));
      assertOk(
          harness.post(
              registration, EwsPayloads.notification("sub-1").folderModified(INBOX, null).build()));
      assertOk(
          harness.post(
              registration, EwsPayloads.notification("sub-1").folderModified(INBOX, null).build()));

      assertThat(pushes())
          .singleElement()
          .satisfies(
              push -> {
                assertThat(push.kind()).isEqualTo(PushKind.UNREAD_CHANGED);
                assertThat(push.badge()).isNull();
              });
      PendingBadge coalesced = harness.state(registration).pending();
      assertThat(coalesced.kind()).isEqualTo(PushKind.UNREAD_CHANGED);
      assertThat(coalesced.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofSeconds(30)));

      worker.runOnce().block(TIMEOUT);
      assertThat(pushes()).hasSize(1);
      clock().advance(Duration.ofSeconds(30));
      worker.runOnce().block(TIMEOUT);
      assertThat(pushes()).hasSize(2);
      assertThat(harness.state(registration).pending()).isNull();
    }

    @Test
    void newMailWithoutACountSendsAHighPriorityNewMailWakeUp() {
      Registration registration = harness.register(token, binding("sub-1"));

      assertOk(
          harness.post(
              registration, EwsPayloads.notification("sub-1").newMail("i", INBOX).build()));

      assertThat(pushes())
          .singleElement()
          .satisfies(
              push -> {
                assertThat(push.kind()).isEqualTo(PushKind.NEW_MAIL);
                assertThat(push.badge()).isNull();
                assertThat(push.highPriority()).isTrue();
              });
    }

    @Test
    void heartbeatsPushNothingAndUpdateLastSeenAtMostEveryHalfStatusFrequency() {
      Registration registration = harness.register(token, binding("sub-1"));
      Instant start = clock.instant();

      assertOk(harness.post(registration, EwsPayloads.notification("sub-1").status("w1").build()));
      clock().advance(Duration.ofMinutes(10));
      assertOk(harness.post(registration, EwsPayloads.notification("sub-1").status("w1").build()));
      assertThat(harness.state(registration).lastSeen()).isEqualTo(start);

      Instant later = clock().advance(Duration.ofMinutes(6));
      assertOk(harness.post(registration, EwsPayloads.notification("sub-1").status("w1").build()));
      assertThat(harness.state(registration).lastSeen()).isEqualTo(later);
      assertThat(pushes()).isEmpty();
    }
  }
}
