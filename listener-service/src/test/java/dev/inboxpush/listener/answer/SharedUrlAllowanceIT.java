package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.newMail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.time.MutableClock;
import java.time.Clock;
import java.time.Duration;
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

/**
 * The compatibility mode's shared URL under the default replication allowance (60 s): a
 * SubscriptionId no registration is bound to in this region is answered 503 until that has stood
 * the allowance, then {@code Unsubscribe}; a binding that arrives meanwhile is served.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class SharedUrlAllowanceIT {

  static final Duration ALLOWANCE = Duration.ofSeconds(60);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("shared-allowance", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.callback.compatibility-mode", () -> "true");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired Clock clock;

  @BeforeEach
  void reset() {
    dispatcher.reset();
  }

  private EntityExchangeResult<byte[]> postShared(byte[] body) {
    return http.post()
        .uri("/ews/v1/shared")
        .header("Content-Type", "text/xml")
        .bodyValue(body)
        .exchange()
        .expectBody(byte[].class)
        .returnResult();
  }

  private static void deferred(EntityExchangeResult<byte[]> answer) {
    assertThat(answer.getStatus().value()).isEqualTo(503);
    assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isEqualTo("30");
  }

  private static SubscriptionStatus answered(EntityExchangeResult<byte[]> answer) {
    assertThat(answer.getStatus().value()).isEqualTo(200);
    return ListenerHarness.status(answer.getResponseBody());
  }

  @Test
  void aSubscriptionBoundNowhereHereIsUnsubscribedOnlyOnceThatHasStoodTheAllowance() {
    deferred(postShared(newMail("nobody-has-it", 1)));
    ((MutableClock) clock).advance(ALLOWANCE.minusSeconds(1));
    deferred(postShared(newMail("nobody-has-it", 1)));
    ((MutableClock) clock).advance(Duration.ofSeconds(1));

    assertThat(answered(postShared(newMail("nobody-has-it", 1))))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
  }

  @Test
  void aBindingThatArrivesWithinTheAllowanceIsServed() {
    String token = apnsToken();
    deferred(postShared(newMail("late-sub", 3)));

    // The registration, bound in another region, reaches this one.
    new ListenerHarness(http, store)
        .register(
            token,
            SubscriptionBinding.compatibility(
                SubscriptionId.of("late-sub"), new StatusFrequency(30)));
    ((MutableClock) clock).advance(Duration.ofSeconds(30));

    assertThat(answered(postShared(newMail("late-sub", 3)))).isEqualTo(SubscriptionStatus.OK);
    assertThat(dispatcher.receivedFor(token)).extracting(Push::badge).hasSize(1);
  }
}
