package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.firebase.FirebaseApp;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import dev.inboxpush.testsupport.tls.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the {@link FakeFcmServer} ITs share: a started server, the real firebase-admin 9.11.0 client
 * pointed at it (its default HTTP/2 transport, via {@link FakeFcmTransport}), and JDK HTTP clients
 * for what firebase-admin cannot send (malformed messages, HTTP/1.1, token requests).
 *
 * <p>Lifecycle: one server and one firebase app per test class (started before its first test,
 * closed after its last), reset before each test; so the classes share no state and could run in
 * parallel. Every blocking wait is bounded by {@link #TIMEOUT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FakeFcmServerITSupport {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String PROJECT = "demo-project";
  static final String SEND_PATH = "/v1/projects/" + PROJECT + "/messages:send";
  static final JsonMapper JSON = JsonMapper.builder().build();

  // One root for every server here, so that one JDK client per HTTP version trusts them all.
  static final TestPki PKI = TestPki.create();

  FakeFcmServer server;
  FakeFcmTransport transport;
  HttpClient http2;
  HttpClient http11;
  FirebaseApp app;
  FirebaseMessaging messaging;

  @BeforeAll
  void start() {
    server = FakeFcmServer.builder().pki(PKI).build().start();
    http2 = jdkClient(HttpClient.Version.HTTP_2);
    http11 = jdkClient(HttpClient.Version.HTTP_1_1);
    transport = FakeFcmTransport.connect(server);
    // Named after the class: firebase-admin refuses two live apps of one name.
    app =
        FirebaseApp.initializeApp(
            transport.firebaseOptions(PROJECT).build(),
            "fake-fcm-it-" + getClass().getSimpleName());
    messaging = FirebaseMessaging.getInstance(app);
  }

  @AfterAll
  void stop() {
    app.delete();
    transport.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  // Tokens are what the listener targets; FID targeting (setFid, 9.10.0) is a later migration.
  @SuppressWarnings("deprecation")
  static Message badge(String token) {
    return Message.builder()
        .setToken(token)
        .putData("kind", "new-mail")
        .putData("unread", "7")
        .putData("registrationId", "r1")
        .setAndroidConfig(
            AndroidConfig.builder()
                .setPriority(AndroidConfig.Priority.HIGH)
                .setTtl(Duration.ofHours(1).toMillis())
                .setCollapseKey("badge-r1")
                .build())
        .build();
  }

  String send(Message message)
      throws FirebaseMessagingException, InterruptedException, TimeoutException {
    return send(messaging, message);
  }

  static String send(FirebaseMessaging client, Message message)
      throws FirebaseMessagingException, InterruptedException, TimeoutException {
    try {
      return client.sendAsync(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FirebaseMessagingException failure) {
        throw failure;
      }
      throw new AssertionError("unexpected failure", e.getCause());
    }
  }

  FirebaseMessagingException sendFailing(Message message) {
    return sendFailing(messaging, message);
  }

  static FirebaseMessagingException sendFailing(FirebaseMessaging client, Message message) {
    ExecutionException e =
        catchThrowableOfType(
            ExecutionException.class,
            () -> client.sendAsync(message).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(e).as("the send should have failed").isNotNull();
    assertThat(e.getCause()).isInstanceOf(FirebaseMessagingException.class);
    return (FirebaseMessagingException) e.getCause();
  }

  HttpResponse<String> post(HttpClient.Version version, String body)
      throws IOException, InterruptedException {
    HttpClient client = version == HttpClient.Version.HTTP_2 ? http2 : http11;
    return client.send(sendRequest(server, body), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest sendRequest(FakeFcmServer target, String body) {
    return HttpRequest.newBuilder(URI.create(target.baseUrl() + SEND_PATH))
        .timeout(TIMEOUT)
        .header("authorization", "Bearer " + target.acceptedAccessToken())
        .header("content-type", "application/json; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpClient jdkClient(HttpClient.Version version) {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(server.clientSslContext())
        .connectTimeout(TIMEOUT)
        .build();
  }
}
