package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.TIMEOUT;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.Push;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.PushKind;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The compatibility mode: a shared URL, registrations found by SubscriptionId, Inbox learned. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
class CompatibilityModeIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("compat", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.callback.compatibility-mode", () -> "true");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: an absence or a foreign binding is final at once
    // (ReplicationAllowanceIT, SharedUrlAllowanceIT and ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;

  private SubscriptionStatus postShared(byte[] body) {
    byte[] reply =
        http.post()
            .uri("/ews/v1/shared")
            .header("Content-Type", "text/xml")
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return Arrays.equals(reply, SendNotificationReply.body(SubscriptionStatus.OK))
        ? SubscriptionStatus.OK
        : SubscriptionStatus.UNSUBSCRIBE;
  }

  @Test
  void registrationsAreFoundBySubscriptionIdAndTheInboxIsLearnedFromTheFirstNewMail() {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    Registration registration =
        harness.register(
            token,
            SubscriptionBinding.compatibility(
                SubscriptionId.of("compat-sub"), new StatusFrequency(30)));

    // Before the Inbox is known, a count on some folder sets no badge.
    assertThat(postShared(EwsPayloads.notification("compat-sub").folderModified(INBOX, 4).build()))
        .isEqualTo(SubscriptionStatus.OK);
    assertThat(dispatcher.receivedFor(token)).isEmpty();

    assertThat(postShared(EwsPayloads.notification("compat-sub").newMail("item", INBOX).build()))
        .isEqualTo(SubscriptionStatus.OK);
    assertThat(harness.state(registration).learnedInboxFolderId()).isEqualTo(FolderId.of(INBOX));
    assertThat(postShared(EwsPayloads.notification("compat-sub").folderModified(INBOX, 5).build()))
        .isEqualTo(SubscriptionStatus.OK);

    assertThat(dispatcher.receivedFor(token))
        .extracting(Push::kind, Push::badge)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(PushKind.NEW_MAIL, null),
            org.assertj.core.groups.Tuple.tuple(PushKind.UNREAD_CHANGED, 5));
  }

  @Test
  void anUnknownSubscriptionIsAnsweredUnsubscribe() {
    assertThat(postShared(EwsPayloads.notification("nobody-has-this").status("w").build()))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
  }

  @Test
  void aSubscriptionRebindAwayIsAnsweredUnsubscribe() {
    ListenerHarness harness = new ListenerHarness(http, store);
    Registration registration =
        harness.register(
            apnsToken(),
            SubscriptionBinding.compatibility(
                SubscriptionId.of("old-compat"), new StatusFrequency(30)));
    store
        .registrations()
        .bind(
            registration.owner(),
            registration.id(),
            SubscriptionBinding.compatibility(
                SubscriptionId.of("new-compat"), new StatusFrequency(30)))
        .block(TIMEOUT);

    assertThat(postShared(EwsPayloads.notification("old-compat").status("w").build()))
        .isEqualTo(SubscriptionStatus.UNSUBSCRIBE);
    assertThat(postShared(EwsPayloads.notification("new-compat").status("w").build()))
        .isEqualTo(SubscriptionStatus.OK);
  }
}
