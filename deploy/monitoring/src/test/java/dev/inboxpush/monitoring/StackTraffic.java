package dev.inboxpush.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.model.Region;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A little of what apps and Exchange do, against a started {@link LocalStack}, over real HTTP: a
 * script client's token, a registration and its binding through a region's registration API, and
 * SendNotification POSTs (a new mail, then a heartbeat) into that region's listener, which pushes
 * through the local APNs or FCM.
 */
final class StackTraffic {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INBOX = "AAMkAGmonitoringInbox=";

  private final LocalStack stack;
  private final String token;

  StackTraffic(LocalStack stack) {
    this.stack = stack;
    this.token = scriptToken();
  }

  /**
   * Registers a device in {@code region} (APNs sandbox or FCM), binds a subscription, and POSTs a
   * new mail and a heartbeat to its callback URL; each must be answered OK.
   */
  void registerAndNotify(Region region, boolean apns, int seed) {
    String device = apns ? String.format("%064x", 0xfeed00L + seed) : "fcm-monitoring-" + seed;
    String body =
        apns
            ? """
              {"platform":"apns","appId":"%s","apnsEnvironment":"sandbox","deviceToken":"%s"}
              """
                .formatted(LocalStack.APNS_TOPIC, device)
            : """
              {"platform":"fcm","appId":"%s","deviceToken":"%s"}
              """
                .formatted(LocalStack.FCM_PROJECT, device);
    URI api = stack.registrationUrl(region);
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(api.resolve("/v1/registrations"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    JsonNode registration = JSON.readTree(created.body());
    String id = registration.path("registrationId").asString();
    String subscription = "sub-monitoring-" + seed;
    HttpResponse<String> bound =
        send(
            HttpRequest.newBuilder(api.resolve("/v1/registrations/" + id + "/subscription"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"subscriptionId":"%s","inboxFolderId":"%s","statusFrequency":30}
                        """
                            .formatted(subscription, INBOX))));
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);

    URI callback = URI.create(registration.path("callbackUrl").asString());
    EwsPayloads mail =
        EwsPayloads.notification(subscription)
            .newMail("item-" + seed, INBOX)
            .folderModified(INBOX, seed + 1);
    notify(callback, mail.build());
    notify(
        callback,
        EwsPayloads.notification(subscription).status(EwsPayloads.newWatermark()).build());
  }

  /** POSTs a body that is no SendNotification: the listener refuses it (a 4xx). */
  void postMalformed(Region region) {
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(stack.listenerUrl(region).resolve("/ews/v1/no-such-token"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("<not-soap/>")));
    assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
  }

  private void notify(URI callback, byte[] body) {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(callback)
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("OK");
  }

  private String scriptToken() {
    String secret;
    try {
      secret = Files.readString(stack.scriptClientSecretFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new AssertionError("cannot read the script client's secret", e);
    }
    String basic =
        Base64.getEncoder()
            .encodeToString(("inboxpush-script:" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(stack.issuer().resolve("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    assertThat(response.statusCode()).as("token request").isEqualTo(200);
    return JSON.readTree(response.body()).path("access_token").asString();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
