package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The optional allow-list, with the test client (127.0.0.1) standing in for a trusted proxy. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SourceNetworkIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("networks", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.callback.allowed-networks", () -> "10.0.0.0/8, 2001:db8::/32");
    registry.add("inboxpush.listener.callback.trusted-proxies", () -> "127.0.0.1/32, ::1/128");
    // One table, no replication: an absence or a foreign binding is final at once
    // (ReplicationAllowanceIT, SharedUrlAllowanceIT and ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @Autowired WebTestClient http;

  private WebTestClient.ResponseSpec post(String forwardedFor) {
    WebTestClient.RequestBodySpec request =
        http.post()
            .uri("/ews/v1/{token}", CallbackToken.generate().value())
            .header("Content-Type", "text/xml");
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return request.bodyValue(Corpus.payload("heartbeat-exchange2016")).exchange();
  }

  private static void forbidden(WebTestClient.ResponseSpec response) {
    response
        .expectStatus()
        .isEqualTo(HttpStatus.FORBIDDEN)
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));
  }

  @Test
  void aSourceOutsideTheAllowListGets403() {
    forbidden(post(null));
    forbidden(post("192.0.2.10"));
    forbidden(post("10.0.0.1, 192.0.2.10"));
    forbidden(post("not-an-address"));
  }

  @Test
  void anAllowedSourceBehindATrustedProxyIsAnswered() {
    post("10.20.30.40")
        .expectStatus()
        .isOk()
        .expectBody(byte[].class)
        .isEqualTo(SendNotificationReply.body(SubscriptionStatus.UNSUBSCRIBE));
    post("192.0.2.10, 2001:db8::5")
        .expectStatus()
        .isOk()
        .expectBody(byte[].class)
        .isEqualTo(SendNotificationReply.body(SubscriptionStatus.UNSUBSCRIBE));
  }
}
