package dev.inboxpush.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.inboxpush.local.push.BrowserCheck;
import dev.inboxpush.model.Region;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.graph.GraphPayloads;
import dev.inboxpush.testsupport.graph.GraphSender;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole system started through {@link LocalStack} (each part its own process, on free ports): a
 * badge travels from a SendNotification POST through the real listener to the local APNs and FCM; a
 * restart on the same data serves the first start's registrations and still pushes (the generated
 * keys and certificates were kept); a token made dead in the inspector is answered {@code
 * Unsubscribe}. The tests run in order: each builds on the state the last one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

  private static final String INBOX = "AAMkAGlocalInbox=";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String IOS_TOKEN = HexFormat.of().formatHex(randomBytes(32));
  private static final String ANDROID_TOKEN =
      "fcm-local-" + HexFormat.of().formatHex(randomBytes(12));

  private static StackOptions options;
  private static LocalStack stack;
  private static StackClient client;
  private static Map<String, Object> ios;
  private static Map<String, Object> android;

  @BeforeAll
  static void start() {
    options =
        StackOptions.defaults(Checkout.root())
            .withDataRoot(Checkout.dataFolder("local-stack-it"))
            .withFresh(true)
            .withRegions(List.of(Region.US_EAST_1), true);
    stack = LocalStack.start(options);
    client = new StackClient(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(0)
  void everyPartListensOn127001Only() throws Exception {
    ListeningSockets.assertLoopbackOnly(stack.parts());
  }

  @Test
  @Order(1)
  void aBadgeTravelsFromAPostThroughTheListenerToTheLocalApnsAndFcm() {
    URI api = stack.registrationUrl(Region.US_EAST_1);
    String token = client.scriptToken();
    ios = client.registerApns(api, token, IOS_TOKEN);
    android = client.registerFcm(api, token, ANDROID_TOKEN);
    assertThat((String) ios.get("callbackUrl"))
        .startsWith(stack.listenerUrl(Region.US_EAST_1) + "/ews/v1/");
    client.bind(api, token, (String) ios.get("registrationId"), "sub-ios", INBOX);
    client.bind(api, token, (String) android.get("registrationId"), "sub-android", INBOX);

    assertThat(client.notify(callback(ios), newMail("sub-ios", 3))).isEqualTo("OK");
    assertThat(client.notify(callback(android), newMail("sub-android", 5))).isEqualTo("OK");

    Map<String, Object> iosPush = awaitPush(row -> IOS_TOKEN.equals(row.get("token")));
    assertThat(iosPush).containsEntry("platform", "apns").containsEntry("accepted", true);
    assertThat(((Number) iosPush.get("badge")).intValue()).isEqualTo(3);
    Map<String, Object> androidPush = awaitPush(row -> ANDROID_TOKEN.equals(row.get("token")));
    assertThat(androidPush).containsEntry("platform", "fcm").containsEntry("accepted", true);
    assertThat(((Number) androidPush.get("badge")).intValue()).isEqualTo(5);
  }

  @Test
  @Order(2)
  void aRestartOnTheSameDataServesTheRegistrationsOfTheFirstStartAndStillPushes() {
    stack.close();
    stack = LocalStack.start(options.withFresh(false));
    client = new StackClient(stack);
    URI api = stack.registrationUrl(Region.US_EAST_1);
    String token = client.scriptToken();

    HttpResponse<String> found =
        client.getRegistration(api, token, (String) ios.get("registrationId"));
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    assertThat(found.body()).contains("\"status\":\"active\"");

    assertThat(client.notify(callback(ios), newMail("sub-ios", 4))).isEqualTo("OK");
    Map<String, Object> push =
        awaitPush(row -> IOS_TOKEN.equals(row.get("token")) && badge(row) == 4);
    assertThat(push).containsEntry("accepted", true);
  }

  @Test
  @Order(3)
  void aTokenMadeDeadInTheInspectorIsAnsweredUnsubscribeAndItsRegistrationDeleted() {
    HttpResponse<String> dead =
        client.postEmpty(stack.inspectorUrl().resolve("/api/devices/apns/" + IOS_TOKEN + "/dead"));
    assertThat(dead.statusCode()).as(dead.body()).isEqualTo(200);

    assertThat(client.notify(callback(ios), newMail("sub-ios", 6))).isEqualTo("Unsubscribe");
    Map<String, Object> rejected =
        awaitPush(row -> IOS_TOKEN.equals(row.get("token")) && badge(row) == 6);
    assertThat(rejected).containsEntry("accepted", false);
    assertThat(String.valueOf(rejected.get("rejection"))).contains("Unregistered");

    HttpResponse<String> gone =
        client.getRegistration(
            stack.registrationUrl(Region.US_EAST_1),
            client.scriptToken(),
            (String) ios.get("registrationId"));
    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(404);
    // The Android device is untouched.
    assertThat(client.notify(callback(android), newMail("sub-android", 7))).isEqualTo("OK");
  }

  @Test
  @Order(4)
  void theInspectorPageInARealBrowserShowsABadgePostedThroughTheListenerAndKillsItsToken()
      throws Exception {
    BrowserCheck.require();
    URI api = stack.registrationUrl(Region.US_EAST_1);
    String token = client.scriptToken();
    String device = HexFormat.of().formatHex(randomBytes(32));
    Map<String, Object> registration = client.registerApns(api, token, device);
    client.bind(api, token, (String) registration.get("registrationId"), "sub-browser", INBOX);
    int[] unread = {10};
    // Each request of the page's script is one SendNotification POST into the real listener,
    // answered with the SubscriptionStatus the listener gave Exchange.
    HttpServer trigger =
        BrowserCheck.trigger(
            () -> client.notify(callback(registration), newMail("sub-browser", ++unread[0])));
    Path screenshot = Checkout.root().resolve("local/target/inspector-end-to-end.png");
    try {
      BrowserCheck.run(
          Map.of(
              "INSPECTOR_URL",
              stack.inspectorUrl() + "/",
              "DEVICE_PLATFORM",
              "apns",
              "DEVICE_TOKEN",
              device,
              "TRIGGER_URL",
              BrowserCheck.triggerUrl(trigger),
              "EXPECT_FIRST",
              "OK",
              "EXPECT_AFTER_DEAD",
              "Unsubscribe",
              "SCREENSHOT",
              screenshot.toString()),
          Checkout.root().resolve("local/target/inspector-end-to-end.log"));
    } finally {
      trigger.stop(0);
    }
    assertThat(Files.readAllBytes(screenshot)).startsWith(0x89, 'P', 'N', 'G');
    assertThat(awaitPush(row -> device.equals(row.get("token")) && badge(row) == 12))
        .containsEntry("accepted", false)
        .containsEntry("rejection", "Unregistered");
  }

  private static URI callback(Map<String, Object> registration) {
    return URI.create((String) registration.get("callbackUrl"));
  }

  @Test
  @Order(10)
  void aGraphNotificationWakesAnIosDeviceThroughTheLocalApns() {
    URI api = stack.registrationUrl(Region.US_EAST_1);
    String token = client.scriptToken();
    String deviceToken = HexFormat.of().formatHex(randomBytes(32));
    HttpResponse<String> created =
        client.register(
            api,
            token,
            """
            {"kind":"graph","platform":"apns","appId":"%s","apnsEnvironment":"sandbox","deviceToken":"%s"}
            """
                .formatted(LocalStack.APNS_TOPIC, deviceToken));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Map<String, Object> graph = StackClient.json(created.body());
    URI notificationUrl = URI.create((String) graph.get("notificationUrl"));
    assertThat(notificationUrl.toString())
        .startsWith(stack.listenerUrl(Region.US_EAST_1) + "/graph/v1/");
    String secret = (String) graph.get("clientState");
    GraphSender sender = new GraphSender();
    String validation = GraphSender.validationToken();
    GraphSender.Answer validated = sender.validate(notificationUrl, validation);
    assertThat(validated.status()).isEqualTo(200);
    assertThat(validated.body()).isEqualTo(validation);

    // Not bound yet: the first authentic notification's subscription is taken.
    GraphSender.Answer answer =
        sender.post(
            notificationUrl,
            GraphPayloads.batch()
                .created("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b", secret)
                .updated("8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b", secret));

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.elapsed()).isLessThan(java.time.Duration.ofSeconds(3));
    Map<String, Object> push = awaitPush(row -> deviceToken.equals(row.get("token")));
    assertThat(push)
        .containsEntry("platform", "apns")
        .containsEntry("accepted", true)
        .containsEntry("kind", "new-mail")
        .containsEntry("pushType", "background");
    assertThat(push.get("badge")).isNull();
  }

  private static byte[] newMail(String subscriptionId, int unread) {
    return EwsPayloads.notification(subscriptionId)
        .newMail("item-" + unread, INBOX)
        .folderModified(INBOX, unread)
        .build();
  }

  private static int badge(Map<String, Object> row) {
    return StackClient.badge(row);
  }

  private static Map<String, Object> awaitPush(Predicate<Map<String, Object>> wanted) {
    return client.awaitPush(stack.inspectorUrl(), wanted);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
