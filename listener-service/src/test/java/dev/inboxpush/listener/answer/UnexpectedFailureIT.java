package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The EWS endpoint's error edge has no gaps: a failure nobody foresaw (here a defect below the
 * handler, a runtime exception out of the listener state store) is a SOAP fault with 503 and {@code
 * Retry-After}, never Spring's error page and never {@code Unsubscribe}, and nothing is written or
 * pushed. Paths under {@code /ews/} that match no route get a SOAP fault too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import({ListenerHarness.Beans.class, UnexpectedFailureIT.Defects.class})
class UnexpectedFailureIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("unexpected", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  /**
   * Registrations whose listener state reads fail with a defect, not a store failure: read alone (a
   * cache hit) or with the registration (a miss, the one read a POST makes).
   */
  static final Set<RegistrationId> BROKEN = ConcurrentHashMap.newKeySet();

  /** The real stores, except that reading a broken registration's state throws. */
  @TestConfiguration
  static class Defects {
    @Bean
    @Primary
    RegistrationStore defectiveRegistrations(DynamoStore store) {
      return defective(
          RegistrationStore.class,
          store.registrations(),
          "findTarget",
          token -> ((CallbackToken) token).registrationId().filter(BROKEN::contains).isPresent());
    }

    @Bean
    @Primary
    ListenerStateStore defectiveStates(DynamoStore store) {
      return defective(ListenerStateStore.class, store.listenerState(), "find", BROKEN::contains);
    }

    /**
     * {@code real}, except that {@code method} fails with a defect when its first argument is
     * broken.
     */
    private static <T> T defective(
        Class<T> type, T real, String method, java.util.function.Predicate<Object> broken) {
      return type.cast(
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {type},
              (proxy, called, args) -> {
                if (called.getName().equals(method) && broken.test(args[0])) {
                  return Mono.error(new IllegalStateException("a defect in item mapping"));
                }
                try {
                  return called.invoke(real, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              }));
    }
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired MeterRegistry meters;

  @Test
  void anUnexpectedExceptionBelowTheHandlerIsASoapFaultWith503AndWritesNothing() {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    Registration registration = harness.register(token, binding("sub-1"));
    BROKEN.add(registration.id());
    byte[] newMail =
        EwsPayloads.notification("sub-1").newMail("item-1", INBOX).folderModified(INBOX, 4).build();

    http.post()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .header("Content-Type", "text/xml; charset=utf-8")
        .bodyValue(newMail)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .valueEquals("Retry-After", "30")
        .expectHeader()
        .contentType("text/xml;charset=utf-8")
        .expectBody(String.class)
        .value(
            body ->
                assertThat(body)
                    .contains("<faultcode>soap:Server</faultcode>")
                    .doesNotContain("Unsubscribe")
                    .doesNotContain("defect"));

    assertThat(dispatcher.receivedFor(token)).isEmpty();
    ListenerState state = store.listenerState().find(registration.id()).block();
    assertThat(state).isEqualTo(ListenerState.empty(registration.id()));
    assertThat(
            meters
                .find("inboxpush.listener.callbacks")
                .tag("answer", "unavailable")
                .tag("reason", "internal_error")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aPathUnderEwsThatMatchesNoRouteIsASoapFaultNotSpringsErrorPage() {
    http.post()
        .uri("/ews/v2/anything/else")
        .header("Content-Type", "text/xml; charset=utf-8")
        .bodyValue("<x/>")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType("text/xml;charset=utf-8")
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("<faultcode>soap:Client</faultcode>"));
    assertThat(
            meters
                .find("inboxpush.listener.callbacks")
                .tag("answer", "refused")
                .tag("reason", "not_found")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
