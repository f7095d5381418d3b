package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.APP;
import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.assertOk;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static dev.inboxpush.listener.answer.ListenerHarness.owner;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.lookup.RegistrationLookup;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.RotateOutcome;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.time.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What one POST costs in table calls, counted by the listener's own {@code
 * inboxpush_dynamodb_calls_total} (the AWS SDK's per-call metrics), through the real endpoint and
 * the real APNs dispatcher in front of pushy's MockApnsServer; and that the sole-account badge,
 * which reads no sum, neither pushes a retried POST twice nor loses a count when two accounts of
 * one device post at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
class TableCallsIT {

  private static final MockApns MOCK = MockApns.start();
  private static final MockApns.SigningKey KEY = MOCK.newSigningKey("KEY0000001", APP.value());
  private static final Pattern BADGE = Pattern.compile("\"badge\":(\\d+)");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("table-calls", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    MOCK.listenerProperties(KEY, APP.value())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.answer.push-budget", () -> "2s");
    // The redelivery worker reads the table on its own schedule; the counts here must not see it.
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @AfterAll
  static void stopMock() {
    MOCK.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired MeterRegistry meters;
  @Autowired RegistrationLookup lookup;
  @Autowired Clock clock;

  private ListenerHarness harness;

  @BeforeEach
  void setUp() {
    harness = new ListenerHarness(http, store);
    MOCK.reset();
  }

  private static byte[] badge(String subscription, int count) {
    return EwsPayloads.notification(subscription)
        .itemCreated("item-" + count, INBOX)
        .newMail("item-" + count, INBOX)
        .folderModified(INBOX, count)
        .build();
  }

  /** Calls by operation made while {@code action} ran (nothing else calls the table meanwhile). */
  private Map<String, Long> callsDuring(Runnable action) {
    Map<String, Double> before = calls();
    action.run();
    Map<String, Long> made = new TreeMap<>();
    calls()
        .forEach(
            (operation, count) -> {
              long delta = Math.round(count - before.getOrDefault(operation, 0.0));
              if (delta > 0) {
                made.put(operation, delta);
              }
            });
    return made;
  }

  private Map<String, Double> calls() {
    Map<String, Double> byOperation = new TreeMap<>();
    for (Counter counter : meters.find("inboxpush.dynamodb.calls").counters()) {
      String operation = counter.getId().getTag("operation");
      if (!"DescribeTable".equals(operation)) { // readiness probes, on their own schedule
        byOperation.merge(operation, counter.count(), Double::sum);
      }
    }
    return byOperation;
  }

  /** Past the index-lag allowance: a sum may now record a registration made before as sole. */
  private void laterThanTheIndexLag() {
    ((MutableClock) clock).advance(NotificationRules.INDEX_LAG_ALLOWANCE.plusSeconds(1));
  }

  private static List<Integer> badges(String token) {
    return MOCK.receivedFor(token).stream()
        .map(
            received -> {
              Matcher badge = BADGE.matcher(received.payload());
              return badge.find() ? Integer.parseInt(badge.group(1)) : -1;
            })
        .toList();
  }

  @Test
  void aSingleAccountBadgeCostsTwoCallsAndAFreshHeartbeatOne() {
    String token = apnsToken();
    MOCK.allow(APP.value(), token);
    Registration registration = harness.register(token, binding("sub-1"));
    laterThanTheIndexLag();
    // The first badge sums the device and finds it has one account.
    assertOk(harness.post(registration, badge("sub-1", 1)));

    for (int count = 2; count <= 5; count++) {
      byte[] body = badge("sub-1", count);
      // The production case: the lookup cache holds nothing for the token.
      lookup.invalidate(registration.callbackToken());
      assertThat(callsDuring(() -> assertOk(harness.post(registration, body))))
          .as("cold cache")
          .isEqualTo(Map.of("Query", 1L, "UpdateItem", 1L));
    }
    byte[] warm = badge("sub-1", 6);
    assertThat(callsDuring(() -> assertOk(harness.post(registration, warm))))
        .as("warm cache")
        .isEqualTo(Map.of("GetItem", 1L, "UpdateItem", 1L));
    lookup.invalidate(registration.callbackToken());
    byte[] heartbeat = EwsPayloads.notification("sub-1").status(EwsPayloads.newWatermark()).build();
    assertThat(callsDuring(() -> assertOk(harness.post(registration, heartbeat))))
        .as("a heartbeat whose lastSeen the read found fresh")
        .isEqualTo(Map.of("Query", 1L));

    assertThat(badges(token)).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void aRetriedPostOfASoleAccountIsNotPushedTwice() {
    String token = apnsToken();
    MOCK.allow(APP.value(), token);
    Registration registration = harness.register(token, binding("sub-1"));
    laterThanTheIndexLag();
    assertOk(harness.post(registration, badge("sub-1", 1)));
    assertThat(harness.state(registration).isSoleAccount(registration)).isTrue();

    byte[] body = badge("sub-1", 2);
    assertOk(harness.post(registration, body));
    lookup.invalidate(registration.callbackToken());
    assertOk(harness.post(registration, body)); // Exchange's retry after our OK got lost
    assertOk(harness.post(registration, body));

    assertThat(badges(token)).containsExactly(1, 2);
  }

  @Test
  void aSecondAccountEndsTheSoleAccountPathAndIsSummed() {
    String token = apnsToken();
    MOCK.allow(APP.value(), token);
    Registration first = harness.register(owner(), token, binding("sub-a"));
    laterThanTheIndexLag();
    assertOk(harness.post(first, badge("sub-a", 3)));
    assertThat(harness.state(first).isSoleAccount(first)).isTrue();

    Registration second = harness.register(owner(), token, binding("sub-b"));
    assertOk(harness.post(second, badge("sub-b", 4)));
    assertThat(harness.state(first).soleAccountFor()).isNull();
    assertThat(harness.state(second).soleAccountFor()).isNull();
    assertOk(harness.post(first, badge("sub-a", 5)));

    assertThat(badges(token)).containsExactly(3, 7, 9);
  }

  @Test
  void twoAccountsOfOneDevicePostingAtOnceNeverLoseACount() {
    String token = apnsToken();
    MOCK.allow(APP.value(), token);
    Registration first = harness.register(owner(), token, binding("sub-a"));
    laterThanTheIndexLag();
    assertOk(harness.post(first, badge("sub-a", 0)));
    assertThat(harness.state(first).isSoleAccount(first)).isTrue();
    // The second account appears: the first still believes it is alone when both post at once.
    Registration second = harness.register(owner(), token, binding("sub-b"));

    for (int round = 1; round <= 12; round++) {
      int a = round * 10;
      int b = round;
      byte[] fromFirst = badge("sub-a", a);
      byte[] fromSecond = badge("sub-b", b);
      int seen = badges(token).size();
      CompletableFuture<Void> one =
          CompletableFuture.runAsync(() -> assertOk(harness.post(first, fromFirst)));
      CompletableFuture<Void> two =
          CompletableFuture.runAsync(() -> assertOk(harness.post(second, fromSecond)));
      CompletableFuture.allOf(one, two).join();

      List<Integer> thisRound = badges(token).subList(seen, badges(token).size());
      assertThat(thisRound).as("round %d: one push carries both counts", round).contains(a + b);
    }
  }

  @Test
  void aNewRegistrationIsNotRecordedSoleWithinTheIndexLag() {
    String token = apnsToken();
    MOCK.allow(APP.value(), token);
    Registration registration = harness.register(token, binding("sub-1"));

    assertOk(harness.post(registration, badge("sub-1", 1)));
    assertThat(harness.state(registration).soleAccountFor())
        .as("another account registered at the same moment may not be in the device index yet")
        .isNull();
    laterThanTheIndexLag();
    assertOk(harness.post(registration, badge("sub-1", 2)));
    assertThat(harness.state(registration).isSoleAccount(registration)).isTrue();
  }

  @Test
  void aTokenRotationEndsTheSoleAccountPath() {
    String token = apnsToken();
    String rotated = apnsToken();
    MOCK.allow(APP.value(), token);
    MOCK.allow(APP.value(), rotated);
    OwnerHash owner = owner();
    Registration first = harness.register(owner, token, binding("sub-a"));
    Registration other = harness.register(owner(), rotated, binding("sub-b"));
    laterThanTheIndexLag();
    assertOk(harness.post(first, badge("sub-a", 2)));
    assertOk(harness.post(other, badge("sub-b", 5)));
    assertThat(harness.state(first).isSoleAccount(first)).isTrue();

    // The first account's app got the other's device token: the device now has two accounts.
    RotateOutcome outcome =
        store
            .registrations()
            .rotateToken(owner, first.id(), DeviceToken.of(Platform.APNS, rotated))
            .block(ListenerHarness.TIMEOUT);
    assertThat(outcome).isInstanceOf(RotateOutcome.Rotated.class);
    Registration moved = store.registrations().findById(first.id()).block(ListenerHarness.TIMEOUT);
    lookup.invalidate(first.callbackToken());
    assertThat(harness.state(first).isSoleAccount(moved)).isFalse();
    assertOk(harness.post(moved, badge("sub-a", 3)));

    assertThat(badges(rotated)).containsExactly(5, 8);
  }
}
