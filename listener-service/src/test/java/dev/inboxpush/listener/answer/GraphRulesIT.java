package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.answer.ListenerHarness.GraphDevice;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.outbox.RedeliveryWorker;
import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.graph.GraphPayloads;
import dev.inboxpush.testsupport.graph.GraphSender;
import dev.inboxpush.testsupport.time.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The Graph rules through real HTTP from a simulated Graph sender into the real application,
 * dynalite behind it, the scripted dispatcher in front of the devices, a clock the tests move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class GraphRulesIT {

  private static final String SUBSCRIPTION = "8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b";
  private static final String OTHER_SUBSCRIPTION = "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d";
  private static final Duration WAKE_THROTTLE = Duration.ofSeconds(30);

  /** The listener's default: these tests run with it. */
  private static final Duration REPLICATION_ALLOWANCE = Duration.ofSeconds(60);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("graph-rules", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("inboxpush.listener.answer.wake-throttle", () -> WAKE_THROTTLE.toString());
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired Clock clock;
  @Autowired RedeliveryWorker worker;
  @Autowired MeterRegistry meters;
  @LocalServerPort int port;

  private final GraphSender graph = new GraphSender();
  private ListenerHarness harness;
  private String token;
  private String base;

  @BeforeEach
  void setUp() {
    harness = new ListenerHarness(http, store);
    dispatcher.reset();
    token = apnsToken();
    base = "http://127.0.0.1:" + port;
    // A fresh throttle window for every test's device: each test has its own token anyway.
    ((MutableClock) clock).advance(WAKE_THROTTLE.multipliedBy(2));
  }

  private GraphDevice bound() {
    GraphDevice device = harness.registerGraph(token);
    return harness.bindGraph(device, SUBSCRIPTION, clock.instant().plus(Duration.ofDays(2)));
  }

  private List<Push> pushes() {
    return dispatcher.receivedFor(token);
  }

  private GraphSender.Answer post(URI url, GraphPayloads payloads) {
    return graph.post(url, payloads);
  }

  private double requests(String answer, String reason) {
    return meters
        .find("inboxpush.listener.graph.requests")
        .tag("endpoint", "notification")
        .tag("answer", answer)
        .tag("reason", reason)
        .counter()
        .count();
  }

  private double items(String type, String outcome) {
    return meters
        .find("inboxpush.listener.graph.items")
        .tag("type", type)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private ListenerState state(Registration registration) {
    return store.listenerState().find(registration.id()).block(TIMEOUT);
  }

  @Nested
  class Handshake {

    @Test
    void bothUrlsEchoTheDecodedTokenAsPlainTextAtOnce() {
      GraphDevice device = bound();
      for (URI url : List.of(device.notificationUrl(base), device.lifecycleUrl(base))) {
        String validationToken = GraphSender.validationToken();

        GraphSender.Answer answer = graph.validate(url, validationToken);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType())
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(answer.body()).isEqualTo(validationToken);
        assertThat(answer.elapsed()).isLessThan(Duration.ofSeconds(5));
      }
      assertThat(pushes()).isEmpty();
      assertThat(state(device.registration()).updatedAt()).isNull();
    }

    @Test
    void aUrlWithItsOwnQueryStillGetsTheTokenBack() {
      GraphDevice device = bound();
      String validationToken = GraphSender.validationToken();

      GraphSender.Answer answer =
          graph.validate(
              URI.create(device.notificationUrl(base) + "?tenant=contoso"), validationToken);

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(validationToken);
    }
  }

  @Nested
  class Notifications {

    @Test
    void aBatchWakesTheDeviceOnceAndDropsWhatFailsVerification() {
      GraphDevice device = bound();
      String secret = device.secret().value();
      double acceptedBefore = items("change", "accepted");
      double foreignBefore = items("change", "unknown_subscription");
      double forgedBefore = items("change", "client_state");

      GraphSender.Answer answer =
          post(
              device.notificationUrl(base),
              GraphPayloads.batch()
                  .created(SUBSCRIPTION, secret)
                  .updated(SUBSCRIPTION, secret)
                  .created(OTHER_SUBSCRIPTION, secret)
                  .created(SUBSCRIPTION, ClientState.generate().value()));

      assertThat(answer.status()).isEqualTo(202);
      assertThat(answer.body()).isEmpty();
      assertThat(pushes()).hasSize(1);
      Push push = pushes().get(0);
      assertThat(push.kind()).isEqualTo(PushKind.NEW_MAIL);
      assertThat(push.badge()).isNull();
      assertThat(push.highPriority()).isTrue();
      assertThat(items("change", "accepted") - acceptedBefore).isEqualTo(2);
      assertThat(items("change", "unknown_subscription") - foreignBefore).isEqualTo(1);
      assertThat(items("change", "client_state") - forgedBefore).isEqualTo(1);
      ListenerState state = state(device.registration());
      assertThat(state.lastSeen()).isEqualTo(clock.instant());
      assertThat(state.lastPushOutcome()).isEqualTo("accepted");
    }

    @Test
    void anUpperCaseIdIsTheSameSubscriptionAndAnUndocumentedChangeTypeIsDropped() {
      GraphDevice device = bound();
      String secret = device.secret().value();
      double invalid = items("change", "invalid");

      post(
          device.notificationUrl(base),
          GraphPayloads.batch()
              .change(SUBSCRIPTION, secret, "somethingElse")
              .change(SUBSCRIPTION.toUpperCase(java.util.Locale.ROOT), secret, "updated"));

      assertThat(pushes()).extracting(Push::kind).containsExactly(PushKind.UNREAD_CHANGED);
      assertThat(items("change", "invalid") - invalid).isEqualTo(1);
    }

    @Test
    void afterARemovalTheNewSubscriptionIsServedBeforeTheAppBindsIt() {
      GraphDevice device = bound();
      String secret = device.secret().value();
      ((MutableClock) clock).advance(Duration.ofSeconds(1));
      post(
          device.lifecycleUrl(base),
          GraphPayloads.batch().lifecycle(SUBSCRIPTION, secret, "subscriptionRemoved"));
      assertThat(pushes()).extracting(Push::kind).containsExactly(PushKind.RESUBSCRIBE);

      // The app re-created its subscription; Graph notifies before the app binds the new id.
      ((MutableClock) clock).advance(WAKE_THROTTLE.multipliedBy(2));
      post(
          device.notificationUrl(base),
          GraphPayloads.batch().created(SUBSCRIPTION, secret).created(OTHER_SUBSCRIPTION, secret));

      assertThat(pushes())
          .extracting(Push::kind)
          .containsExactly(PushKind.RESUBSCRIBE, PushKind.NEW_MAIL);
      assertThat(state(device.registration()).learnedSubscriptionId())
          .isEqualTo(SubscriptionId.of(OTHER_SUBSCRIPTION));
    }

    @Test
    void anExpiredBindingLetsTheRecreatedSubscriptionThrough() {
      GraphDevice device = harness.registerGraph(token);
      device = harness.bindGraph(device, SUBSCRIPTION, clock.instant().plusSeconds(60));
      ((MutableClock) clock).advance(Duration.ofMinutes(2));

      post(
          device.notificationUrl(base),
          GraphPayloads.batch().created(OTHER_SUBSCRIPTION, device.secret().value()));

      assertThat(pushes()).extracting(Push::kind).containsExactly(PushKind.NEW_MAIL);
    }

    @Test
    void updatesAndDeletionsWakeWithUnreadChanged() {
      GraphDevice device = bound();
      String secret = device.secret().value();

      post(
          device.notificationUrl(base),
          GraphPayloads.batch().updated(SUBSCRIPTION, secret).deleted(SUBSCRIPTION, secret));

      assertThat(pushes()).extracting(Push::kind).containsExactly(PushKind.UNREAD_CHANGED);
      assertThat(pushes().get(0).highPriority()).isFalse();
    }

    @Test
    void aWrongClientStatePushesAndWritesNothing() {
      GraphDevice device = bound();

      GraphSender.Answer answer =
          post(
              device.notificationUrl(base),
              GraphPayloads.batch()
                  .created(SUBSCRIPTION, ClientState.generate().value())
                  .created(SUBSCRIPTION, device.secret().value().toUpperCase()));

      assertThat(answer.status()).isEqualTo(202);
      assertThat(pushes()).isEmpty();
      assertThat(state(device.registration()).updatedAt()).isNull();
    }

    @Test
    void anUnboundRegistrationTakesTheFirstAuthenticSubscriptionAndOnlyThatOne() {
      GraphDevice device = harness.registerGraph(token);
      String secret = device.secret().value();

      post(
          device.notificationUrl(base),
          GraphPayloads.batch()
              .created(OTHER_SUBSCRIPTION, "forged")
              .created(SUBSCRIPTION, secret));

      assertThat(state(device.registration()).learnedSubscriptionId())
          .isEqualTo(SubscriptionId.of(SUBSCRIPTION));
      assertThat(pushes()).hasSize(1);

      ((MutableClock) clock).advance(WAKE_THROTTLE.multipliedBy(2));
      post(device.notificationUrl(base), GraphPayloads.batch().created(OTHER_SUBSCRIPTION, secret));
      assertThat(pushes()).hasSize(1);
    }

    @Test
    void aRebindingIsSeenAtOnceThoughTheCacheHoldsTheOldBinding() {
      GraphDevice device = bound();
      String secret = device.secret().value();
      post(device.notificationUrl(base), GraphPayloads.batch().created(SUBSCRIPTION, secret));
      assertThat(pushes()).hasSize(1);

      // The app re-created its subscription and bound the new one; the cache still has the old.
      harness.bindGraph(device, OTHER_SUBSCRIPTION, clock.instant().plus(Duration.ofDays(2)));
      ((MutableClock) clock).advance(WAKE_THROTTLE.multipliedBy(2));
      post(device.notificationUrl(base), GraphPayloads.batch().created(OTHER_SUBSCRIPTION, secret));

      assertThat(pushes()).hasSize(2);
    }

    @Test
    void anEwsRegistrationsTokenIsDroppedAndAnUnknownOneOnceItStoodTheReplicationAllowance() {
      Registration ews = harness.register(token, null);
      double wrongKind = items("change", "wrong_kind");
      double unknown = items("change", "unknown_registration");
      double deferred = requests("deferred", "awaiting_replication");

      URI ewsAsGraph = URI.create(base + "/graph/v1/" + ews.callbackToken().value());
      assertThat(post(ewsAsGraph, GraphPayloads.batch().created(SUBSCRIPTION, "x")).status())
          .isEqualTo(202);
      URI nobody =
          URI.create(base + "/graph/v1/" + dev.inboxpush.model.CallbackToken.generate().value());
      // Made moments ago in another region, perhaps: Graph is asked to retry, nothing dropped.
      assertThat(post(nobody, GraphPayloads.batch().created(SUBSCRIPTION, "x")).status())
          .isEqualTo(503);
      assertThat(items("change", "unknown_registration") - unknown).isZero();
      assertThat(requests("deferred", "awaiting_replication") - deferred).isEqualTo(1);

      ((MutableClock) clock).advance(REPLICATION_ALLOWANCE.plusSeconds(1));
      assertThat(post(nobody, GraphPayloads.batch().created(SUBSCRIPTION, "x")).status())
          .isEqualTo(202);

      assertThat(pushes()).isEmpty();
      assertThat(state(ews).updatedAt()).isNull();
      assertThat(items("change", "wrong_kind") - wrongKind).isEqualTo(1);
      assertThat(items("change", "unknown_registration") - unknown).isEqualTo(1);
    }

    @Test
    void itemsAllForAnotherSubscriptionAreDeferredUntilTheAllowanceThenDropped() {
      GraphDevice device = bound();
      String secret = device.secret().value();
      double foreign = items("change", "unknown_subscription");
      double forged = items("change", "client_state");
      ListenerState before = state(device.registration());

      // A rebind in another region may not have replicated here yet.
      GraphSender.Answer first =
          post(
              device.notificationUrl(base),
              GraphPayloads.batch()
                  .created(OTHER_SUBSCRIPTION, secret)
                  .created(SUBSCRIPTION, ClientState.generate().value()));

      assertThat(first.status()).isEqualTo(503);
      assertThat(pushes()).isEmpty();
      assertThat(state(device.registration())).isEqualTo(before);
      assertThat(items("change", "unknown_subscription") - foreign).isZero();
      // Counted once, with the answer that drops it, not at every deferred retry.
      assertThat(items("change", "client_state") - forged).isZero();

      ((MutableClock) clock).advance(REPLICATION_ALLOWANCE.plusSeconds(1));
      GraphSender.Answer later =
          post(
              device.notificationUrl(base),
              GraphPayloads.batch()
                  .created(OTHER_SUBSCRIPTION, secret)
                  .created(SUBSCRIPTION, ClientState.generate().value()));

      assertThat(later.status()).isEqualTo(202);
      assertThat(pushes()).isEmpty();
      assertThat(items("change", "unknown_subscription") - foreign).isEqualTo(1);
      assertThat(items("change", "client_state") - forged).isEqualTo(1);
    }
  }

  @Nested
  class Lifecycle {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
      "reauthorizationRequired, REAUTHORIZATION_REQUIRED, RESUBSCRIBE",
      "subscriptionRemoved, SUBSCRIPTION_REMOVED, RESUBSCRIBE",
      "missed, MISSED, WAKE"
    })
    void eachEventIsRecordedAndWakesTheApp(
        String event, GraphLifecycleEvent recorded, PushKind kind) {
      GraphDevice device = bound();
      ((MutableClock) clock).advance(Duration.ofSeconds(1));
      double counted =
          meters
              .find("inboxpush.listener.graph.lifecycle.events")
              .tag("event", event)
              .counter()
              .count();

      GraphSender.Answer answer =
          post(
              device.lifecycleUrl(base),
              GraphPayloads.batch().lifecycle(SUBSCRIPTION, device.secret().value(), event));

      assertThat(answer.status()).isEqualTo(202);
      assertThat(pushes()).extracting(Push::kind).containsExactly(kind);
      ListenerState state = state(device.registration());
      assertThat(state.graphLifecycle()).isNotNull();
      assertThat(state.graphLifecycle().event()).isEqualTo(recorded);
      assertThat(state.graphLifecycle().subscriptionId())
          .isEqualTo(SubscriptionId.of(SUBSCRIPTION));
      assertThat(state.graphLifecycle().at()).isEqualTo(clock.instant());
      assertThat(
              state
                  .graphLifecycle()
                  .isCurrent(
                      device.registration().boundAt(), device.registration().boundSubscriptionId()))
          .isTrue();
      assertThat(
              meters
                  .find("inboxpush.listener.graph.lifecycle.events")
                  .tag("event", event)
                  .counter()
                  .count())
          .isEqualTo(counted + 1);
    }

    @Test
    void aForgedOrForeignLifecycleEventIsDropped() {
      GraphDevice device = bound();

      post(
          device.lifecycleUrl(base),
          GraphPayloads.batch()
              .lifecycle(SUBSCRIPTION, "forged", "subscriptionRemoved")
              .lifecycle(OTHER_SUBSCRIPTION, device.secret().value(), "subscriptionRemoved")
              .lifecycle(SUBSCRIPTION, device.secret().value(), "somethingNew"));

      assertThat(pushes()).isEmpty();
      assertThat(state(device.registration()).graphLifecycle()).isNull();
    }
  }

  @Nested
  class Coalescing {

    @Test
    void fiftyChangesInOneWindowGiveOneImmediatePushAndOneAtTheWindowsEnd() throws Exception {
      GraphDevice device = bound();
      String secret = device.secret().value();

      for (int i = 0; i < 50; i++) {
        GraphPayloads change =
            i % 3 == 0
                ? GraphPayloads.batch().created(SUBSCRIPTION, secret)
                : GraphPayloads.batch().updated(SUBSCRIPTION, secret);
        assertThat(post(device.notificationUrl(base), change).status()).isEqualTo(202);
        ((MutableClock) clock).advance(Duration.ofMillis(100));
      }

      assertThat(pushes()).hasSize(1);
      PendingBadge parked = state(device.registration()).pending();
      assertThat(parked).isNotNull();
      assertThat(parked.badge()).isNull();
      assertThat(parked.newMail()).isTrue();

      worker.runOnce().block(TIMEOUT);
      assertThat(pushes()).as("not before the window ends").hasSize(1);

      ((MutableClock) clock).advance(WAKE_THROTTLE);
      worker.runOnce().block(TIMEOUT);
      worker.runOnce().block(TIMEOUT);

      assertThat(pushes()).hasSize(2);
      assertThat(pushes().get(1).kind()).isEqualTo(PushKind.NEW_MAIL);
      assertThat(state(device.registration()).pending()).isNull();
    }
  }

  @Nested
  class SlowProvider {

    @Test
    void theWakeUpParksAndEveryAnswerIsInTime() throws Exception {
      int devices = 20;
      List<GraphDevice> slow = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        String deviceToken = apnsToken();
        dispatcher.answerAfter(deviceToken, Duration.ofSeconds(4), new DispatchOutcome.Accepted());
        GraphDevice device = harness.registerGraph(deviceToken);
        slow.add(harness.bindGraph(device, SUBSCRIPTION, clock.instant().plus(Duration.ofDays(1))));
      }

      // Warm the path once (a fast provider), so that the figures are the path's, not the JIT's.
      GraphDevice warm = bound();
      post(
          warm.notificationUrl(base),
          GraphPayloads.batch().created(SUBSCRIPTION, warm.secret().value()));

      // Four in flight: parallel traffic, without queueing every POST behind one dynalite process.
      List<Duration> times = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<GraphSender.Answer>> answers = new ArrayList<>();
        for (GraphDevice device : slow) {
          answers.add(
              pool.submit(
                  () ->
                      post(
                          device.notificationUrl(base),
                          GraphPayloads.batch().created(SUBSCRIPTION, device.secret().value()))));
        }
        for (Future<GraphSender.Answer> answer : answers) {
          GraphSender.Answer got = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(got.status()).isEqualTo(202);
          times.add(got.elapsed());
        }
      } finally {
        pool.shutdownNow();
      }

      times.sort(Comparator.naturalOrder());
      Duration p99 = times.get((int) Math.ceil(times.size() * 0.99) - 1);
      System.out.printf(
          "Graph POSTs with a provider slower than the 1 s budget: %d answered, p50 %d ms, p99 %d"
              + " ms, max %d ms%n",
          times.size(),
          times.get(times.size() / 2).toMillis(),
          p99.toMillis(),
          times.get(times.size() - 1).toMillis());
      assertThat(p99).isLessThan(Duration.ofSeconds(2));
      for (GraphDevice device : slow) {
        ListenerState state = state(device.registration());
        assertThat(state.pending()).as("parked for redelivery").isNotNull();
        assertThat(state.lastPushOutcome()).isEqualTo("retryable");
      }
    }
  }
}
