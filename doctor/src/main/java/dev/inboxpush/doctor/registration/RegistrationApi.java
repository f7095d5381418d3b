package dev.inboxpush.doctor.registration;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registration API ({@code /v1/registrations}, see its OpenAPI document) as the doctor uses it:
 * one throw-away registration of the caller, created, bound to the doctor's subscription, read and
 * deleted. Every call carries the caller's bearer token; the token is never logged or put in a
 * result. Blocking (the JDK's HTTP client), thread-safe, every call bounded by the timeout.
 */
public final class RegistrationApi {

  /** A new registration: its id and the callback URL to give Exchange. */
  public record Created(String registrationId, URI callbackUrl) {}

  /**
   * What {@code GET /v1/registrations/{id}} says.
   *
   * @param status {@code active}, {@code unbound}, {@code subscription-error} or {@code stale}
   * @param lastSeen when Exchange last posted for it, or null
   * @param lastPushOutcome the last push's outcome ({@code accepted}, ...), or null
   * @param lastPushAt when, or null
   */
  public record Status(
      String status,
      @Nullable Instant lastSeen,
      @Nullable String lastPushOutcome,
      @Nullable Instant lastPushAt) {}

  /** The outcome of a call: its value, gone (404), or a failure. */
  public sealed interface Result<T> {
    record Ok<T>(T value) implements Result<T> {}

    /** 404: no such registration of the caller (any more). */
    record Gone<T>() implements Result<T> {}

    /**
     * A failure: {@code status} 0 when there was no answer; {@code detail} is our own words, the
     * HTTP status and the problem's {@code title} and {@code detail} (the API never echoes input).
     */
    record Failed<T>(int status, String detail) implements Result<T> {}
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base the registration service, e.g. {@code https://pushreg.eu-west-1.example.net}
   * @param token the caller's access token (a JWT with the {@code inboxpush} audience)
   */
  public RegistrationApi(URI base, String token, Duration timeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** {@code POST /v1/registrations}. */
  public Result<Created> register(
      String platform, String appId, @Nullable String apnsEnvironment, String deviceToken) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("platform", platform);
    body.put("appId", appId);
    if (apnsEnvironment != null) {
      body.put("apnsEnvironment", apnsEnvironment);
    }
    body.put("deviceToken", deviceToken);
    return call("POST", "/v1/registrations", body, RegistrationApi::created);
  }

  /** The answer's id and callback URL, both required: an answer without them is not the API's. */
  private static Created created(JsonNode json) {
    String id = json.path("registrationId").asString();
    URI callback = URI.create(json.path("callbackUrl").asString());
    if (!id.matches("[0-9a-f-]{36}")
        || callback.getScheme() == null
        || callback.getHost() == null) {
      throw new IllegalArgumentException("no registrationId or callbackUrl");
    }
    return new Created(id, callback);
  }

  /** {@code PUT /v1/registrations/{id}/subscription}. */
  public Result<String> bind(
      String registrationId, String subscriptionId, String inboxFolderId, int statusFrequency) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subscriptionId", subscriptionId);
    body.put("inboxFolderId", inboxFolderId);
    body.put("statusFrequency", statusFrequency);
    return call(
        "PUT",
        "/v1/registrations/" + registrationId + "/subscription",
        body,
        json -> json.path("registrationId").asString());
  }

  /** {@code GET /v1/registrations/{id}}. */
  public Result<Status> status(String registrationId) {
    return call(
        "GET",
        "/v1/registrations/" + registrationId,
        null,
        json ->
            new Status(
                json.path("status").asString(),
                instant(json.get("lastSeen")),
                text(json.get("lastPushOutcome")),
                instant(json.get("lastPushAt"))));
  }

  /** {@code DELETE /v1/registrations/{id}}. */
  public Result<String> delete(String registrationId) {
    return call("DELETE", "/v1/registrations/" + registrationId, null, json -> "deleted");
  }

  private interface Reader<T> {
    T read(JsonNode json);
  }

  private <T> Result<T> call(String method, String path, @Nullable Object body, Reader<T> reader) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      return new Result.Failed<>(
          0, "no connection to " + base + " within " + timeout.toSeconds() + " s");
    } catch (HttpTimeoutException e) {
      return new Result.Failed<>(
          0, "no answer from " + base + " within " + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      return new Result.Failed<>(0, "cannot connect to " + base);
    } catch (IOException e) {
      return new Result.Failed<>(0, "cannot reach " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Failed<>(0, "interrupted");
    }
    int status = response.statusCode();
    if (status == 404) {
      return new Result.Gone<>();
    }
    if (status >= 200 && status < 300) {
      try {
        JsonNode json =
            response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Result.Ok<>(reader.read(json));
      } catch (JacksonException | IllegalArgumentException e) {
        return new Result.Failed<>(
            status, "HTTP " + status + " with a body that is not the API's JSON");
      }
    }
    return new Result.Failed<>(status, "HTTP " + status + problem(response.body()));
  }

  private static String problem(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      String title = json.path("title").asString("");
      String detail = json.path("detail").asString("");
      return (title.isEmpty() ? "" : " " + title) + (detail.isEmpty() ? "" : ": " + detail);
    } catch (JacksonException e) {
      return "";
    }
  }

  private static @Nullable Instant instant(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : Instant.parse(node.asString());
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }
}
