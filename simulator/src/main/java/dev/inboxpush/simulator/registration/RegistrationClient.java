package dev.inboxpush.simulator.registration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app's calls to the registration API ({@code /v1/registrations}): register a device, bind an
 * EWS subscription. A 429 is waited out ({@code Retry-After}, at most {@link #PATIENCE} in all: the
 * per-address limit refills over a minute) and a 503 for at most {@link #UNAVAILABLE_PATIENCE}, and
 * sent again, as a well-behaved app does; any other refusal fails with the status and the problem's
 * title. The callback URL is kept as the opaque string the API returned.
 *
 * <p>Blocking; thread-safe.
 */
public final class RegistrationClient {

  /** How long one call may keep waiting out rate limits. */
  public static final Duration PATIENCE = Duration.ofMinutes(3);

  /** How long one call may keep waiting out a 503 (the table unreachable). */
  public static final Duration UNAVAILABLE_PATIENCE = Duration.ofSeconds(30);

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A registration as the API answered it.
   *
   * @param registrationId its id
   * @param callbackUrl the URL Exchange POSTs to (opaque)
   */
  public record Registered(String registrationId, String callbackUrl) {}

  private final HttpClient http;
  private final URI api;

  /**
   * @param api the registration service's base URL, e.g. {@code http://127.0.0.1:8081}
   */
  public RegistrationClient(HttpClient http, URI api) {
    this.http = http;
    this.api = api;
  }

  /**
   * Registers a device token of {@code platform} ({@code apns}: sandbox) for {@code appId}.
   *
   * @throws IllegalStateException when the API refuses
   */
  public Registered register(String accessToken, String platform, String appId, String token) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("platform", platform);
    body.put("appId", appId);
    if (platform.equals("apns")) {
      body.put("apnsEnvironment", "sandbox");
    }
    body.put("deviceToken", token);
    JsonNode answer =
        call(
            "register",
            HttpRequest.newBuilder(api.resolve("/v1/registrations"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
            accessToken);
    String id = answer.path("registrationId").asString("");
    String callback = answer.path("callbackUrl").asString("");
    if (id.isEmpty() || callback.isEmpty()) {
      throw new IllegalStateException(
          "the registration's answer has no registrationId or callbackUrl");
    }
    return new Registered(id, callback);
  }

  /** Binds the EWS subscription the app created at Exchange. */
  public void bind(
      String accessToken,
      String registrationId,
      String subscriptionId,
      String inboxFolderId,
      int statusFrequencyMinutes) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subscriptionId", subscriptionId);
    body.put("inboxFolderId", inboxFolderId);
    body.put("statusFrequency", statusFrequencyMinutes);
    call(
        "bind",
        HttpRequest.newBuilder(api.resolve("/v1/registrations/" + registrationId + "/subscription"))
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
        accessToken);
  }

  private JsonNode call(String what, HttpRequest.Builder request, String accessToken) {
    Instant begin = Instant.now();
    HttpRequest built =
        request
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + accessToken)
            .header("Content-Type", "application/json")
            .build();
    while (true) {
      HttpResponse<String> response = send(what, built);
      int status = response.statusCode();
      if (status == 200 || status == 201) {
        return JSON.readTree(response.body());
      }
      Duration waited = Duration.between(begin, Instant.now());
      if ((status == 429 && waited.compareTo(PATIENCE) < 0)
          || (status == 503 && waited.compareTo(UNAVAILABLE_PATIENCE) < 0)) {
        sleep(retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        continue;
      }
      throw new IllegalStateException(
          "the registration API refused " + what + ": " + status + " " + title(response.body()));
    }
  }

  private HttpResponse<String> send(String what, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the registration API did not answer " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    }
  }

  private static Duration retryAfter(@Nullable String header) {
    try {
      return Duration.ofSeconds(
          Math.max(1, Math.min(60, Long.parseLong(header == null ? "1" : header.trim()))));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting out a rate limit", e);
    }
  }

  private static String title(String body) {
    try {
      return JSON.readTree(body).path("title").asString("");
    } catch (RuntimeException notJson) {
      return "";
    }
  }
}
