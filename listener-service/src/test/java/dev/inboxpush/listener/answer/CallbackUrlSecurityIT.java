package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.APP;
import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.assertOk;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ManagementClient;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.metrics.PrometheusScrape;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Only the secret callback URL pushes to a device. Whoever knows a registration's SubscriptionId,
 * its registration id (it travels in pushes), its device token, or the token with its secret
 * changed, posts new mail to every URL those make, and the device receives nothing; the
 * registration is left as it was; the real URL then pushes (so the test can fail). And a source
 * that keeps posting tokens that name no registration spends its budget: its next such POSTs are
 * 429 with {@code Retry-After} and read nothing from the table, while a registration this instance
 * served lately is still served to it (the lookup cache is off here, so that only this counts).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallbackUrlSecurityIT {

  static final int BURST = 12;
  private static final MockApns MOCK = MockApns.start();
  private static final MockApns.SigningKey KEY = MOCK.newSigningKey("KEY0000009", APP.value());
  private static final SecureRandom RANDOM = new SecureRandom();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("callback-url-security", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    MOCK.listenerProperties(KEY, APP.value())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
    registry.add("inboxpush.listener.callback.unknown-token-burst", () -> Integer.toString(BURST));
    registry.add("inboxpush.listener.callback.unknown-tokens-per-minute", () -> "1");
    // No lookup cache: what keeps a registration served to a spent source is that this instance
    // served its token lately, not the 30 s cache.
    registry.add("inboxpush.listener.lookup.positive-ttl", () -> "0s");
  }

  @AfterAll
  static void stopMock() {
    MOCK.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @LocalManagementPort int managementPort;

  private ListenerHarness harness;

  @BeforeEach
  void setUp() {
    harness = new ListenerHarness(http, store);
    MOCK.reset();
  }

  private static byte[] newMail(String subscription, int count) {
    return EwsPayloads.notification(subscription)
        .itemCreated("item-" + count, INBOX)
        .newMail("item-" + count, INBOX)
        .folderModified(INBOX, count)
        .build();
  }

  private EntityExchangeResult<String> postTo(String path, byte[] body) {
    return http.post()
        .uri(path)
        .header("Content-Type", "text/xml; charset=utf-8")
        .bodyValue(body)
        .exchange()
        .expectBody(String.class)
        .returnResult();
  }

  private double tableReads() {
    PrometheusScrape.Family calls =
        PrometheusScrape.parse(ManagementClient.scrape(managementPort))
            .family("inboxpush_dynamodb_calls_total");
    return calls == null
        ? 0
        : calls.samples().stream().mapToDouble(sample -> Double.parseDouble(sample.value())).sum();
  }

  @Test
  @Order(1)
  void whatAnAttackerCanKnowOfARegistrationPushesNothing() {
    String device = apnsToken();
    MOCK.allow(APP.value(), device);
    Registration registration = harness.register(device, binding("sub-secure"));
    String secretless =
        CallbackToken.of(registration.id(), RANDOM.generateSeed(CallbackToken.SECRET_BYTES))
            .value();

    Stream.of(
            "/ews/v1/" + registration.id().value(),
            "/ews/v1/sub-secure",
            "/ews/v1/" + device,
            "/ews/v1/" + secretless,
            "/ews/v1/shared")
        .forEach(
            path -> {
              EntityExchangeResult<String> answer = postTo(path, newMail("sub-secure", 3));
              assertThat(answer.getStatus().value()).as(path).isIn(200, 404);
              if (answer.getStatus().value() == 200) {
                assertThat(ListenerHarness.status(answer.getResponseBodyContent()))
                    .as(path)
                    .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
              }
            });
    assertThat(MOCK.receivedFor(device)).isEmpty();
    assertThat(store.registrations().findById(registration.id()).block(TIMEOUT))
        .isEqualTo(registration);

    assertOk(harness.post(registration, newMail("sub-secure", 4)));
    assertThat(MOCK.receivedFor(device)).hasSize(1);
  }

  @Test
  @Order(2)
  void aSourceThatSpendsItsUnknownTokenBudgetGets429AndCostsNoReadsButKnownTokensAreServed() {
    String device = apnsToken();
    MOCK.allow(APP.value(), device);
    Registration known = harness.register(device, binding("sub-known"));
    // Served once: remembered as served.
    assertOk(harness.post(known, newMail("sub-known", 1)));

    int unsubscribed = 0;
    int limited = 0;
    String retryAfter = null;
    double readsAtLimit = -1;
    for (int i = 0; i < BURST + 20; i++) {
      EntityExchangeResult<String> answer =
          postTo("/ews/v1/" + CallbackToken.generate().value(), newMail("sub-random", 1));
      if (answer.getStatus().value() == 429) {
        if (limited == 0) {
          readsAtLimit = tableReads();
        }
        limited++;
        retryAfter = answer.getResponseHeaders().getFirst("Retry-After");
        assertThat(answer.getResponseBody()).contains("soap:Client");
      } else {
        assertThat(ListenerHarness.status(answer.getResponseBodyContent()))
            .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
        unsubscribed++;
      }
    }
    System.out.printf(
        "random tokens from one source: %d answered Unsubscribe (a read each), %d refused 429"
            + " (Retry-After %s)%n",
        unsubscribed, limited, retryAfter);
    // The first test spent part of the same source's budget.
    assertThat(unsubscribed).isLessThanOrEqualTo(BURST);
    assertThat(limited).isGreaterThanOrEqualTo(20);
    assertThat(Long.parseLong(retryAfter)).isPositive();
    assertThat(tableReads()).isEqualTo(readsAtLimit);

    assertOk(harness.post(known, newMail("sub-known", 2)));
    assertThat(MOCK.receivedFor(device)).hasSize(2);
    assertThat(ManagementClient.scrape(managementPort)).contains("reason=\"unknown_tokens\"");
  }
}
