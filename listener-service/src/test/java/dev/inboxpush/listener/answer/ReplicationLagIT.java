package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static dev.inboxpush.listener.answer.ListenerHarness.newMail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.store.dynamo.TableLayout;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.Replicator;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.graph.GraphPayloads;
import dev.inboxpush.testsupport.graph.GraphSender;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two regions of one Global Table, replication lag included: the registration API's region (its own
 * dynalite, written through the store as the API writes it) and this listener's region (its own
 * dynalite), with test-support's {@link Replicator} copying every write between them after {@link
 * #LAG}, last writer wins per item. The listener runs with its default replication allowance (60 s,
 * longer than the lag): what another region wrote moments ago is never a reason for {@code
 * Unsubscribe}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class ReplicationLagIT {

  static final Duration LAG = Duration.ofSeconds(3);
  static final String GRAPH_SUBSCRIPTION = "8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b";
  static final String OTHER_GRAPH_SUBSCRIPTION = "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d";
  static final Duration SETTLE = Duration.ofSeconds(30);
  static final String TABLE = "lag-" + UUID.randomUUID();

  /** The region where the app registered (its registration API writes here). */
  static final Dynalite ELSEWHERE = Dynalite.start();

  /** This listener's region. */
  static final Dynalite HERE = Dynalite.start();

  static DynamoStore elsewhere;
  static Replicator replicator;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("inboxpush.region", () -> "eu-west-1");
    registry.add("inboxpush.dynamodb.endpoint", () -> HERE.endpoint().toString());
    registry.add("inboxpush.dynamodb.table-name", () -> TABLE);
    registry.add("inboxpush.dynamodb.create-table", () -> "true");
    registry.add("inboxpush.listener.answer.push-budget", () -> "300ms");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @AfterAll
  static void stop() {
    if (replicator != null) {
      replicator.close();
    }
    if (elsewhere != null) {
      elsewhere.close();
    }
    ELSEWHERE.close();
    HERE.close();
  }

  @LocalServerPort int port;
  @Autowired WebTestClient http;
  @Autowired DynamoStore here;
  @Autowired ScriptedDispatcher dispatcher;

  /** Registers in the other region, posts to this listener. */
  private ListenerHarness harness;

  private String token;

  private final GraphSender graph = new GraphSender();

  @BeforeEach
  void setUp() {
    if (replicator == null) {
      // The listener created its replica at start-up; the other region's is created here.
      elsewhere =
          DynamoStore.open(
              new StoreSettings(TABLE, true, ELSEWHERE.endpoint(), null, 0, 0, null),
              Region.US_EAST_1,
              Clock.systemUTC());
      replicator =
          Replicator.start(
              TABLE,
              TableLayout.PK,
              TableLayout.SK,
              List.of(ELSEWHERE.sharedClient(), HERE.sharedClient()),
              LAG,
              Duration.ofMillis(100));
    }
    harness = new ListenerHarness(http, elsewhere);
    dispatcher.reset();
    token = apnsToken();
  }

  private int answerStatus(Registration registration, byte[] body) {
    return harness.exchange(registration, body).getStatus().value();
  }

  private List<Push> pushes() {
    return dispatcher.receivedFor(token);
  }

  @Test
  void aRegistrationMadeInAnotherRegionIsAnswered503WithinTheLagThenServedOnceReplicated() {
    Registration registration = harness.register(token, binding("sub-1"));

    assertThat(answerStatus(registration, newMail("sub-1", 4)))
        .as("before the registration reached this region")
        .isEqualTo(503);
    assertThat(pushes()).isEmpty();

    replicator.awaitQuiet(SETTLE);
    assertThat(harness.post(registration, newMail("sub-1", 4))).isEqualTo(SubscriptionStatus.OK);
    assertThat(pushes()).extracting(Push::badge).containsExactly(4);
  }

  @Test
  void aRebindInAnotherRegionIsNeverUnsubscribedHereBeforeItArrives() {
    Registration registration = harness.register(token, binding("sub-1"));
    replicator.awaitQuiet(SETTLE);
    assertThat(harness.post(registration, newMail("sub-1", 1))).isEqualTo(SubscriptionStatus.OK);

    elsewhere
        .registrations()
        .bind(registration.owner(), registration.id(), binding("sub-2"))
        .block(TIMEOUT);
    assertThat(answerStatus(registration, newMail("sub-2", 2)))
        .as("the new subscription, before the rebind reached this region")
        .isEqualTo(503);

    replicator.awaitQuiet(SETTLE);
    assertThat(harness.post(registration, newMail("sub-2", 2))).isEqualTo(SubscriptionStatus.OK);
    assertThat(pushes()).extracting(Push::badge).containsExactly(1, 2);
  }

  @Test
  void aGraphRegistrationMadeInAnotherRegionIsAnswered503WithinTheLagThenServedOnceReplicated() {
    ListenerHarness.GraphDevice device = harness.registerGraph(token);
    URI url = device.notificationUrl("http://127.0.0.1:" + port);
    GraphPayloads created =
        GraphPayloads.batch().created(GRAPH_SUBSCRIPTION, device.secret().value());

    assertThat(graph.post(url, created).status())
        .as("before the registration reached this region: Graph retries")
        .isEqualTo(503);
    assertThat(pushes()).isEmpty();

    replicator.awaitQuiet(SETTLE);
    assertThat(graph.post(url, created).status()).isEqualTo(202);
    assertThat(pushes()).extracting(Push::kind).containsExactly(PushKind.NEW_MAIL);
  }

  @Test
  void aGraphRebindInAnotherRegionIsDeferredHereNotDroppedBeforeItArrives() {
    ListenerHarness.GraphDevice device = harness.registerGraph(token);
    device = harness.bindGraph(device, GRAPH_SUBSCRIPTION, Instant.now().plus(Duration.ofDays(2)));
    replicator.awaitQuiet(SETTLE);
    URI url = device.notificationUrl("http://127.0.0.1:" + port);

    harness.bindGraph(device, OTHER_GRAPH_SUBSCRIPTION, Instant.now().plus(Duration.ofDays(2)));
    GraphPayloads fromNew =
        GraphPayloads.batch().created(OTHER_GRAPH_SUBSCRIPTION, device.secret().value());
    assertThat(graph.post(url, fromNew).status())
        .as("the new subscription, before the rebind reached this region")
        .isEqualTo(503);

    replicator.awaitQuiet(SETTLE);
    assertThat(graph.post(url, fromNew).status()).isEqualTo(202);
    assertThat(pushes()).extracting(Push::kind).containsExactly(PushKind.NEW_MAIL);
  }

  @Test
  void aTokenRotatedInAnotherRegionAndReportedDeadHereBeforeTheRotationArrivesIsNotDeleted() {
    Registration registration = harness.register(token, binding("sub-1"));
    replicator.awaitQuiet(SETTLE);
    assertThat(harness.post(registration, newMail("sub-1", 1))).isEqualTo(SubscriptionStatus.OK);

    // The app's token changes; it tells the other region's API. APNs now says the old one is dead.
    String rotated = apnsToken();
    elsewhere
        .registrations()
        .rotateToken(
            registration.owner(), registration.id(), DeviceToken.of(Platform.APNS, rotated))
        .block(TIMEOUT);
    dispatcher.answer(
        token, new DispatchOutcome.TokenDead(Instant.now().plusSeconds(1), "Unregistered"));
    assertThat(answerStatus(registration, newMail("sub-1", 2)))
        .as("the old token is dead here, but the rotation has not arrived: nothing is decided")
        .isEqualTo(503);

    replicator.awaitQuiet(SETTLE);
    assertThat(harness.post(registration, newMail("sub-1", 2))).isEqualTo(SubscriptionStatus.OK);
    assertThat(dispatcher.receivedFor(rotated)).extracting(Push::badge).containsExactly(2);
    for (DynamoStore replica : List.of(elsewhere, here)) {
      Registration stored = replica.registrations().findById(registration.id()).block(TIMEOUT);
      assertThat(stored).as("kept in both regions").isNotNull();
      assertThat(stored.deviceToken().value()).isEqualTo(rotated);
    }
  }

  @Test
  void listenerStateWrittenInBothRegionsAtOnceConvergesOnTheNewerWriteAndLeavesTheRegistration() {
    Registration registration = harness.register(token, binding("sub-1"));
    replicator.awaitQuiet(SETTLE);

    // A listener in the other region records an older POST moments before this one records a
    // newer one; neither has seen the other's write.
    replicator.pause();
    elsewhere
        .listenerState()
        .update(
            registration.id(),
            new ListenerStateUpdate()
                .watermark(SubscriptionId.of("sub-1"), Watermark.of("AQAAAolder=="))
                .unreadCount(3)
                .unconditionally())
        .block(TIMEOUT);
    sleepPastAPoll();
    byte[] newer =
        EwsPayloads.notification("sub-1").newMail("item-9", INBOX).folderModified(INBOX, 9).build();
    assertThat(harness.post(registration, newer)).isEqualTo(SubscriptionStatus.OK);
    replicator.resume();
    replicator.awaitQuiet(SETTLE);

    for (DynamoStore replica : List.of(elsewhere, here)) {
      ListenerState state = replica.listenerState().find(registration.id()).block(TIMEOUT);
      assertThat(state.lastUnreadCount()).as("the newer count, in both regions").isEqualTo(9);
      assertThat(state.lastWatermark()).isNotEqualTo(Watermark.of("AQAAAolder=="));
      Registration stored = replica.registrations().findById(registration.id()).block(TIMEOUT);
      assertThat(stored.binding()).as("the registration item untouched").isNotNull();
      assertThat(stored.binding().subscriptionId().value()).isEqualTo("sub-1");
    }
  }

  private static void sleepPastAPoll() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
