package dev.inboxpush.testsupport.ews;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake EWS server over plain HTTP with the JDK's client: its answers to each operation, and the
 * notifications it POSTs to a callback that answers OK, then Unsubscribe.
 */
class FakeEwsServerTests {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern SUBSCRIPTION_ID =
      Pattern.compile("<m:SubscriptionId>([^<]+)</m:SubscriptionId>");

  private final List<String> received = new CopyOnWriteArrayList<>();
  private volatile String answer = "OK";
  private HttpServer callback;
  private FakeEwsServer ews;

  @BeforeEach
  void start() throws IOException {
    callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    callback.createContext(
        "/ews/v1/secret",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body =
              ("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                      + "<m:SendNotificationResult xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
                      + "<m:SubscriptionStatus>"
                      + answer
                      + "</m:SubscriptionStatus></m:SendNotificationResult></s:Body></s:Envelope>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    callback.start();
    ews =
        FakeEwsServer.builder()
            .basic("alice", "secret")
            .mailbox("alice@contoso.example")
            .heartbeatEvery(Duration.ofMillis(200))
            .start();
  }

  @AfterEach
  void stop() {
    ews.close();
    callback.stop(0);
  }

  @Test
  void withoutCredentialsItAnswers401WithBothChallenges() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(ews.url())
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().allValues("WWW-Authenticate"))
        .containsExactly("Basic realm=\"fake-ews\"", "Bearer");
  }

  @Test
  void aSubscriptionGetsHeartbeatsAndNewMailUntilItsSubscriberAnswersUnsubscribe()
      throws Exception {
    String folder =
        body(
            call(
                operation(
                    "GetFolder",
                    "<m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds>")));
    assertThat(folder).contains("<t:FolderId Id=\"" + ews.inboxFolderId() + "\"");

    String subscribed =
        body(
            call(
                operation(
                    "Subscribe",
                    "<m:PushSubscriptionRequest><t:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></t:FolderIds>"
                        + "<t:EventTypes><t:EventType>NewMailEvent</t:EventType></t:EventTypes>"
                        + "<t:StatusFrequency>1</t:StatusFrequency><t:URL>http://127.0.0.1:"
                        + callback.getAddress().getPort()
                        + "/ews/v1/secret</t:URL></m:PushSubscriptionRequest>")));
    Matcher id = SUBSCRIPTION_ID.matcher(subscribed);
    assertThat(id.find()).as(subscribed).isTrue();
    await(() -> !received.isEmpty());
    assertThat(received.get(0)).contains("<t:StatusEvent>", id.group(1));

    call(
        operation(
            "CreateItem",
            "<m:Items><t:Message><t:ToRecipients><t:Mailbox><t:EmailAddress>ALICE@contoso.example"
                + "</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items>",
            "MessageDisposition=\"SendOnly\""));
    await(() -> received.stream().anyMatch(body -> body.contains("<t:NewMailEvent>")));
    assertThat(received.stream().filter(body -> body.contains("<t:NewMailEvent>")).findFirst())
        .hasValueSatisfying(body -> assertThat(body).contains("<t:UnreadCount>1</t:UnreadCount>"));

    // EWS's Unsubscribe does not end a push subscription, as Exchange says.
    assertThat(
            body(
                call(
                    operation(
                        "Unsubscribe",
                        "<m:SubscriptionId>" + id.group(1) + "</m:SubscriptionId>"))))
        .contains("ErrorInvalidSubscription");
    assertThat(ews.liveSubscriptions()).containsExactly(id.group(1));

    answer = "Unsubscribe";
    await(() -> ews.liveSubscriptions().isEmpty());
    int sent = ews.notifications().size();
    Thread.sleep(600);
    assertThat(ews.notifications()).as("nothing after Unsubscribe").hasSize(sent);
    assertThat(ews.operations())
        .extracting(FakeEwsServer.Operation::name)
        .containsExactly("GetFolder", "Subscribe", "CreateItem", "Unsubscribe");
  }

  @Test
  void subscribeErrorsAndAFolderOtherThanTheInbox() throws Exception {
    assertThat(body(call(operation("Subscribe", "<m:PullSubscriptionRequest/>"))))
        .contains("ResponseClass=\"Error\"", "ErrorInvalidSubscriptionRequest");
    assertThat(
            body(
                call(
                    operation(
                        "GetFolder",
                        "<m:FolderIds><t:DistinguishedFolderId Id=\"drafts\"/></m:FolderIds>"))))
        .contains("ErrorFolderNotFound");
    assertThat(call(operation("ResolveNames", "")).statusCode()).isEqualTo(500);
  }

  private HttpResponse<String> call(String soap) throws Exception {
    String basic =
        Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(ews.url())
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "text/xml; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(soap))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String body(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static String operation(String name, String content, String... attributes) {
    return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\""
        + " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body><m:"
        + name
        + (attributes.length == 0 ? "" : " " + String.join(" ", attributes))
        + ">"
        + content
        + "</m:"
        + name
        + "></s:Body></s:Envelope>";
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
