package dev.inboxpush.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an app, a script and Exchange do against a started stack, over real HTTP with the JDK's
 * client: a token from the authorization server (client credentials, the secret read from the data
 * folder as a person would), registrations through the registration API, SendNotification POSTs
 * into the listener, and the push inspector's JSON.
 */
final class StackClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern STATUS =
      Pattern.compile("<(?:\\w+:)?SubscriptionStatus>(\\w+)</(?:\\w+:)?SubscriptionStatus>");

  private final URI issuer;
  private final Path secretFile;

  StackClient(LocalStack stack) {
    this(stack.issuer(), stack.scriptClientSecretFile());
  }

  StackClient(URI issuer, Path secretFile) {
    this.issuer = issuer;
    this.secretFile = secretFile;
  }

  /** An access token of the script client. */
  String scriptToken() {
    String secret;
    try {
      secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + secretFile, e);
    }
    String basic =
        Base64.getEncoder()
            .encodeToString(("inboxpush-script:" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(issuer.resolve("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return (String) json(response.body()).get("access_token");
  }

  /** POSTs a registration; returns the answer (201 or 200 expected by the caller). */
  HttpResponse<String> register(URI registrationApi, String token, String body) {
    return send(
        HttpRequest.newBuilder(registrationApi.resolve("/v1/registrations"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Registers an iOS device of the local app (sandbox); returns the registration's JSON. */
  Map<String, Object> registerApns(URI registrationApi, String token, String deviceToken) {
    HttpResponse<String> response =
        register(
            registrationApi,
            token,
            """
            {"platform":"apns","appId":"%s","apnsEnvironment":"sandbox","deviceToken":"%s"}
            """
                .formatted(LocalStack.APNS_TOPIC, deviceToken));
    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    return json(response.body());
  }

  /** Registers an Android device of the local project; returns the registration's JSON. */
  Map<String, Object> registerFcm(URI registrationApi, String token, String deviceToken) {
    HttpResponse<String> response =
        register(
            registrationApi,
            token,
            """
            {"platform":"fcm","appId":"%s","deviceToken":"%s"}
            """
                .formatted(LocalStack.FCM_PROJECT, deviceToken));
    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    return json(response.body());
  }

  /** Binds a subscription; expects 200. */
  void bind(
      URI registrationApi,
      String token,
      String registrationId,
      String subscriptionId,
      String inbox) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    registrationApi.resolve(
                        "/v1/registrations/" + registrationId + "/subscription"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"subscriptionId":"%s","inboxFolderId":"%s","statusFrequency":30}
                        """
                            .formatted(subscriptionId, inbox))));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** GETs a registration with the token. */
  HttpResponse<String> getRegistration(URI registrationApi, String token, String registrationId) {
    return send(
        HttpRequest.newBuilder(registrationApi.resolve("/v1/registrations/" + registrationId))
            .header("Authorization", "Bearer " + token)
            .GET());
  }

  /** POSTs a SendNotification as Exchange does; returns the SubscriptionStatus it was answered. */
  String notify(URI callbackUrl, byte[] body) {
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

  /** GETs a URL and returns the answer. */
  HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  /** POSTs an empty body to a URL and returns the answer. */
  HttpResponse<String> postEmpty(URI uri) {
    return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** The inspector's rows, newest first, as JSON objects. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> pushes(URI inspector) {
    HttpResponse<String> response = get(inspector.resolve("/api/pushes"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    try {
      return (List<Map<String, Object>>) JSONObjectUtils.parse(response.body()).get("pushes");
    } catch (ParseException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /**
   * Polls the inspector for up to 10 s until a push matches {@code wanted}; fails with what it
   * shows otherwise.
   */
  Map<String, Object> awaitPush(URI inspector, Predicate<Map<String, Object>> wanted) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    List<Map<String, Object>> rows = List.of();
    while (Instant.now().isBefore(deadline)) {
      rows = pushes(inspector);
      for (Map<String, Object> row : rows) {
        if (wanted.test(row)) {
          return row;
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no such push in the inspector; it has " + rows);
  }

  /** A row's badge, or -1 when it has none. */
  static int badge(Map<String, Object> row) {
    return row.get("badge") instanceof Number n ? n.intValue() : -1;
  }

  static Map<String, Object> json(String body) {
    try {
      return JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw new AssertionError("not a JSON object: " + body, e);
    }
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
