package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.PendingBadge;
import dev.inboxpush.store.PendingEntry;
import dev.inboxpush.store.StoreUnavailableException;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rule 4 alone: only the pending-badge write fails, and that alone makes the answer 503, for EWS
 * and for Graph.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import({ListenerHarness.Beans.class, PendingWriteFailureIT.FailingPendingWrites.class})
class PendingWriteFailureIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("pending-failure", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  /** The real listener state store, except that setting a pending badge fails. */
  @TestConfiguration
  static class FailingPendingWrites {
    @Bean
    @Primary
    ListenerStateStore failingPendingWrites(DynamoStore store) {
      ListenerStateStore real = store.listenerState();
      return new ListenerStateStore() {
        @Override
        public Mono<ListenerState> find(RegistrationId id) {
          return real.find(id);
        }

        @Override
        public Mono<ListenerState> markShared(RegistrationId id) {
          return real.markShared(id);
        }

        @Override
        public Mono<Boolean> touchLastSeen(RegistrationId id, StatusFrequency frequency) {
          return real.touchLastSeen(id, frequency);
        }

        @Override
        public Mono<Void> update(RegistrationId id, ListenerStateUpdate update) {
          return real.update(id, update);
        }

        @Override
        public Mono<PendingBadge> setPending(
            RegistrationId id,
            @Nullable Integer badge,
            PushKind kind,
            boolean newMail,
            @Nullable Instant dueAt) {
          return Mono.error(
              new StoreUnavailableException(
                  "pending write refused by the test", new RuntimeException()));
        }

        @Override
        public Mono<Boolean> clearPending(RegistrationId id, String pendingId) {
          return real.clearPending(id, pendingId);
        }

        @Override
        public Mono<Boolean> reschedulePending(RegistrationId id, String pendingId, Instant next) {
          return real.reschedulePending(id, pendingId, next);
        }

        @Override
        public Flux<PendingEntry> findDuePending(int limitPerShard) {
          return real.findDuePending(limitPerShard);
        }

        @Override
        public Mono<Void> delete(RegistrationId id) {
          return real.delete(id);
        }
      };
    }
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;

  @Test
  void aPendingWriteThatFailsIsA503AndRecordsNoWatermark() {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    Registration registration = harness.register(token, binding("sub-1"));
    dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503 from APNs"));

    http.post()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .header("Content-Type", "text/xml")
        .bodyValue(
            EwsPayloads.notification("sub-1").newMail("i", INBOX).folderModified(INBOX, 2).build())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Server"));

    assertThat(harness.state(registration).lastWatermark()).isNull();
  }

  @Test
  void aGraphWakeUpThatCannotBeParkedIsA503SoThatGraphRetries() {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    ListenerHarness.GraphDevice device =
        harness.bindGraph(
            harness.registerGraph(token),
            "8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b",
            java.time.Instant.parse("2030-01-01T00:00:00Z"));
    dispatcher.answer(token, new DispatchOutcome.Retryable(null, "503 from APNs"));

    http.post()
        .uri("/graph/v1/{token}", device.registration().callbackToken().value())
        .header("Content-Type", "application/json")
        .bodyValue(
            dev.inboxpush.testsupport.graph.GraphPayloads.batch()
                .created("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b", device.secret().value())
                .build())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .valueEquals("Retry-After", "30")
        .expectBody(String.class)
        .isEqualTo("temporarily unavailable; retry");

    assertThat(harness.state(device.registration()).lastSeen()).isNull();
  }
}
