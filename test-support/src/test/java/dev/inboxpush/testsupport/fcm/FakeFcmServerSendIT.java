package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The send endpoint's way through and the gates before the message is judged: a badge message sent
 * by firebase-admin over HTTP/2 and recorded exactly, a dry run, HTTP/1.1, an unknown path, a wrong
 * bearer token.
 */
class FakeFcmServerSendIT extends FakeFcmServerITSupport {

  @Test
  void acceptsABadgeMessageOverHttp2AndRecordsItExactly() throws Exception {
    String name = send(badge("token-ok"));

    assertThat(name).matches("projects/demo-project/messages/.+");
    assertThat(server.requests()).hasSize(1);
    FcmRequest request = server.requests().get(0);
    assertThat(request.project()).isEqualTo(PROJECT);
    assertThat(request.token()).isEqualTo("token-ok");
    assertThat(request.protocol()).isEqualTo("HTTP/2.0");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + server.acceptedAccessToken());
    assertThat(request.data())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("kind", "new-mail", "unread", "7", "registrationId", "r1"));
    assertThat(request.at("android"))
        .isEqualTo(Map.of("collapse_key", "badge-r1", "priority", "high", "ttl", "3600s"));
    assertThat(request.at("notification")).isNull();
    assertThat(request.accepted()).isTrue();
    assertThat(server.received()).isEqualTo(1);
    assertThat(server.accepted()).isEqualTo(1);
    assertThat(server.rejections()).isEmpty();
  }

  @Test
  void answersADryRunWithGooglesFakeMessageId() throws Exception {
    String name = messaging.sendAsync(badge("token-dry"), true).get(30, TimeUnit.SECONDS);

    assertThat(name).isEqualTo("projects/demo-project/messages/fake_message_id");
    assertThat(server.requests().get(0).message()).doesNotContainKey("validate_only");
  }

  @Test
  void aWrongBearerTokenIsUnauthenticated() throws Exception {
    FirebaseApp wrong =
        FirebaseApp.initializeApp(
            transport
                .firebaseOptions(PROJECT)
                .setCredentials(FakeFcmTransport.credentials("wrong-token"))
                .build(),
            "fake-fcm-it-wrong-token");
    try {
      FirebaseMessagingException e =
          sendFailing(FirebaseMessaging.getInstance(wrong), badge("token-any"));

      assertThat(e.getErrorCode()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getMessagingErrorCode()).isNull();
      assertThat(e.getHttpResponse().getStatusCode()).isEqualTo(401);
      assertThat(server.accepted()).isZero();
      // google-auth refreshes (to the same token) and retries each 401: 1 + 4 attempts.
      assertThat(server.rejected("UNAUTHENTICATED")).isEqualTo(server.received()).isEqualTo(5);
      assertThat(server.requests())
          .allSatisfy(
              request -> {
                assertThat(request.header("authorization")).isEqualTo("Bearer wrong-token");
                assertThat(request.status()).isEqualTo(401);
              });
    } finally {
      wrong.delete();
    }
  }

  @Test
  void servesHttp11Too() throws Exception {
    HttpResponse<String> response =
        post(HttpClient.Version.HTTP_1_1, "{\"message\":{\"token\":\"t\"}}");

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.requests())
        .singleElement()
        .extracting(FcmRequest::protocol)
        .isEqualTo("HTTP/1.1");
  }

  @Test
  void answersUnknownPathsNotFound() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/projects/p/messages:sendAll"))
            .timeout(TIMEOUT)
            .header("authorization", "Bearer " + server.acceptedAccessToken())
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();

    HttpResponse<String> response = http2.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(server.rejected("NOT_FOUND")).isEqualTo(1);
  }
}
