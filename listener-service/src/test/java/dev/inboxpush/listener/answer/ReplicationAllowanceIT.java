package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static dev.inboxpush.listener.answer.ListenerHarness.newMail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.store.dynamo.TableLayout;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.time.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The replication allowance with its default (60 s), through real HTTP into the real listener. A
 * write another region made and this one has not yet received is played by taking a registration's
 * items out of the table and putting them back later ("replication arrives"); the clock is the
 * test's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class ReplicationAllowanceIT {

  static final Map<String, String> STORE =
      DynaliteProperties.forTable("allowance", Dynalite.shared());
  static final Duration ALLOWANCE = Duration.ofSeconds(60);

  /** How long the lookup cache serves a registration it found (its default). */
  static final Duration POSITIVE_TTL = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    STORE.forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.answer.push-budget", () -> "300ms");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired Clock clock;
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

  /** A POST answered 503 for replication: Retry-After, a server fault, no EWS reply. */
  private void deferred(Registration registration, byte[] body) {
    EntityExchangeResult<String> answer = harness.exchange(registration, body);
    assertThat(answer.getStatus().value()).isEqualTo(503);
    assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isEqualTo("30");
    assertThat(answer.getResponseBody())
        .contains("soap:Server")
        .doesNotContain(SubscriptionStatus.UNSUBSCRIBE.wireValue())
        .isNotEqualTo(new String(SendNotificationReply.body(SubscriptionStatus.OK)));
  }

  private double deferrals() {
    return meters
        .find("inboxpush.listener.callbacks")
        .tag("answer", "deferred")
        .tag("reason", "awaiting_replication")
        .counter()
        .count();
  }

  private List<Push> pushes() {
    return dispatcher.receivedFor(token);
  }

  /** The registration's partition (registration and listener state), taken out of the table. */
  private List<Map<String, AttributeValue>> withhold(Registration registration) {
    DynamoDbAsyncClient client = Dynalite.shared().sharedClient();
    String table = STORE.get("inboxpush.dynamodb.table-name");
    List<Map<String, AttributeValue>> items =
        client
            .query(
                q ->
                    q.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", TableLayout.PK))
                        .expressionAttributeValues(
                            Map.of(
                                ":pk", AttributeValue.fromS("REG#" + registration.id().value()))))
            .join()
            .items();
    assertThat(items).isNotEmpty();
    for (Map<String, AttributeValue> item : items) {
      client
          .deleteItem(
              d ->
                  d.tableName(table)
                      .key(
                          Map.of(
                              TableLayout.PK, item.get(TableLayout.PK),
                              TableLayout.SK, item.get(TableLayout.SK))))
          .join();
    }
    return items;
  }

  private static void arrive(List<Map<String, AttributeValue>> items) {
    DynamoDbAsyncClient client = Dynalite.shared().sharedClient();
    String table = STORE.get("inboxpush.dynamodb.table-name");
    for (Map<String, AttributeValue> item : items) {
      client.putItem(p -> p.tableName(table).item(item)).join();
    }
  }

  @Test
  void aRegistrationNotYetReplicatedIsAnswered503UntilItArrivesThenServed() {
    Registration registration = harness.register(token, binding("sub-1"));
    List<Map<String, AttributeValue>> items = withhold(registration);
    double before = deferrals();

    deferred(registration, newMail("sub-1", 3));
    clock().advance(Duration.ofSeconds(30)); // Exchange's first retry
    deferred(registration, newMail("sub-1", 3));
    assertThat(deferrals() - before).isEqualTo(2);
    assertThat(pushes()).isEmpty();

    arrive(items);
    clock().advance(Duration.ofSeconds(60)); // its second retry
    assertThat(harness.post(registration, newMail("sub-1", 3))).isEqualTo(SubscriptionStatus.OK);
    assertThat(pushes()).extracting(Push::badge).containsExactly(3);
  }

  @Test
  void anAbsenceThatHasStoodTheAllowanceIsAnsweredUnsubscribe() {
    Registration registration = harness.register(token, binding("sub-1"));
    withhold(registration);

    deferred(registration, newMail("sub-1", 1));
    clock().advance(ALLOWANCE.minusSeconds(1));
    deferred(registration, newMail("sub-1", 1));
    clock().advance(Duration.ofSeconds(1));

    assertThat(harness.post(registration, newMail("sub-1", 1)))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
    assertThat(pushes()).isEmpty();
  }

  @Test
  void anAbsenceInterruptedByThePresenceOfItsRegistrationWaitsAnewWhenItReturns() {
    Registration registration = harness.register(token, binding("sub-1"));
    List<Map<String, AttributeValue>> items = withhold(registration);
    deferred(registration, newMail("sub-1", 1));
    arrive(items);
    clock().advance(ALLOWANCE);
    assertThat(harness.post(registration, newMail("sub-1", 2))).isEqualTo(SubscriptionStatus.OK);

    // Gone again (say, another region deleted it and the deletion replicated here), and no longer
    // in the lookup cache: a new wait, although the first sighting is older than the allowance.
    withhold(registration);
    clock().advance(POSITIVE_TTL.plusSeconds(1));
    deferred(registration, newMail("sub-1", 3));
  }

  @Test
  void aRebindNotYetReplicatedIsNeverUnsubscribedAndTheReplacedSubscriptionIsOnceItHasStood() {
    Registration registration = harness.register(token, binding("sub-old"));
    assertThat(harness.post(registration, newMail("sub-old", 1))).isEqualTo(SubscriptionStatus.OK);

    // The app rebound to sub-new in another region; here the registration is still on sub-old.
    deferred(registration, newMail("sub-new", 2));
    clock().advance(Duration.ofSeconds(30));
    deferred(registration, newMail("sub-new", 2));

    // The rebind arrives: sub-new is served, sub-old now waits its own allowance.
    store
        .registrations()
        .bind(registration.owner(), registration.id(), binding("sub-new"))
        .block(TIMEOUT);
    clock().advance(Duration.ofSeconds(60));
    assertThat(harness.post(registration, newMail("sub-new", 2))).isEqualTo(SubscriptionStatus.OK);
    deferred(registration, newMail("sub-old", 3));
    clock().advance(ALLOWANCE);
    assertThat(harness.post(registration, newMail("sub-old", 3)))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);

    assertThat(pushes()).extracting(Push::badge).containsExactly(1, 2);
  }

  @Test
  void aDeadDeviceTokenIsDeletedAndUnsubscribedOnlyOnceThatHasStoodTheAllowance() {
    Registration registration = harness.register(token, binding("sub-1"));
    dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));

    deferred(registration, newMail("sub-1", 1));
    assertThat(store.registrations().findById(registration.id()).block(TIMEOUT))
        .as("nothing deleted: the app may have rotated the token in another region")
        .isNotNull();
    clock().advance(ALLOWANCE);

    assertThat(harness.post(registration, newMail("sub-1", 1)))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
    assertThat(store.registrations().findById(registration.id()).block(TIMEOUT)).isNull();
  }
}
