package dev.inboxpush.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an app, a script and Exchange do against the containers, over real HTTP to 127.0.0.1 with
 * the JDK's client: a token of the local OAuth2 server's script client, a registration and its
 * binding through the registration API, SendNotification POSTs into the listener, and the push
 * inspector's JSON. Thread-safe (the JDK client is).
 *
 * @param issuer the authorization server's base URL
 * @param scriptSecret the script client's secret (LOCAL_AUTH_SCRIPT_CLIENT_SECRET)
 * @param registrationApi the registration API's base URL
 * @param inspector the push inspector's base URL
 */
record StackHttp(URI issuer, String scriptSecret, URI registrationApi, URI inspector) {

  static final String APNS_TOPIC = "dev.inboxpush.example";
  static final String INBOX = "AAMkAGcontainersInbox=";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern STATUS =
      Pattern.compile("<(?:\\w+:)?SubscriptionStatus>(\\w+)</(?:\\w+:)?SubscriptionStatus>");

  /** An access token of the script client (client credentials). */
  String scriptToken() {
    String basic =
        Base64.getEncoder()
            .encodeToString(("inboxpush-script:" + scriptSecret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(issuer.resolve("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).get("access_token").asString();
  }

  /** Registers an iOS device of the local app (sandbox) and binds a subscription to it. */
  URI registerAndBindApns(String token, String deviceToken, String subscriptionId) {
    HttpResponse<String> registered =
        send(
            HttpRequest.newBuilder(registrationApi.resolve("/v1/registrations"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"platform":"apns","appId":"%s","apnsEnvironment":"sandbox","deviceToken":"%s"}
                        """
                            .formatted(APNS_TOPIC, deviceToken))));
    assertThat(registered.statusCode()).as(registered.body()).isIn(200, 201);
    JsonNode registration = json(registered.body());
    HttpResponse<String> bound =
        send(
            HttpRequest.newBuilder(
                    registrationApi.resolve(
                        "/v1/registrations/"
                            + registration.get("registrationId").asString()
                            + "/subscription"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"subscriptionId":"%s","inboxFolderId":"%s","statusFrequency":30}
                        """
                            .formatted(subscriptionId, INBOX))));
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
    return URI.create(registration.get("callbackUrl").asString());
  }

  /** POSTs a SendNotification (new mail, {@code unread} unread) as Exchange does; its status. */
  static String notifyNewMail(URI callbackUrl, String subscriptionId, int unread) {
    byte[] body =
        EwsPayloads.notification(subscriptionId)
            .newMail("item-" + unread, INBOX)
            .folderModified(INBOX, unread)
            .build();
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(callbackUrl)
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Matcher status = STATUS.matcher(response.body());
    assertThat(status.find()).as(response.body()).isTrue();
    return status.group(1);
  }

  /** The inspector's pushes, newest first. */
  JsonNode pushes() {
    HttpResponse<String> response = get(inspector.resolve("/api/pushes"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).get("pushes");
  }

  /** Polls the inspector for up to {@code within} until a push matches; fails with what it has. */
  JsonNode awaitPush(Predicate<JsonNode> wanted, Duration within) {
    Instant deadline = Instant.now().plus(within);
    JsonNode rows = null;
    while (Instant.now().isBefore(deadline)) {
      rows = pushes();
      for (JsonNode row : rows) {
        if (wanted.test(row)) {
          return row;
        }
      }
      pause(Duration.ofMillis(250));
    }
    throw new AssertionError("no such push in the inspector; it has " + rows);
  }

  /** A row's badge, or -1 when it has none. */
  static int badge(JsonNode row) {
    JsonNode badge = row.get("badge");
    return badge != null && badge.isNumber() ? badge.asInt() : -1;
  }

  static HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  static JsonNode json(String body) {
    return JSON.readTree(body);
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
