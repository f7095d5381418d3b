package dev.inboxpush.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus's HTTP API (v1) over the JDK's client. Every call answers the response's JSON; an
 * answer with {@code "status":"error"} is returned as it is (the caller reports its {@code error}),
 * any other failure is an {@link IllegalStateException}. Thread-safe.
 */
final class PrometheusApi {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  PrometheusApi(URI base) {
    this.base = base;
  }

  /** {@code /api/v1/format_query}: the canonical form, or an error when it does not parse. */
  JsonNode formatQuery(String query) {
    return get("/api/v1/format_query", Map.of("query", query));
  }

  /** {@code /api/v1/query} at the current time. */
  JsonNode query(String query) {
    return get("/api/v1/query", Map.of("query", query));
  }

  /** {@code /api/v1/series}: the series {@code selector} matches over the last hour. */
  JsonNode series(String selector) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("match[]", selector);
    parameters.put(
        "start", Long.toString(Instant.now().minus(Duration.ofHours(1)).getEpochSecond()));
    return get("/api/v1/series", parameters);
  }

  /** {@code /api/v1/label/__name__/values}: every metric name stored. */
  JsonNode metricNames() {
    return get("/api/v1/label/__name__/values", Map.of());
  }

  /** {@code /api/v1/rules}: the loaded rule groups and their health. */
  JsonNode rules() {
    return get("/api/v1/rules", Map.of());
  }

  /** {@code /api/v1/targets}: the scrape targets and their health. */
  JsonNode targets() {
    return get("/api/v1/targets", Map.of());
  }

  /** True when the answer's status is success. */
  static boolean success(JsonNode answer) {
    return "success".equals(answer.path("status").asString());
  }

  private JsonNode get(String path, Map<String, String> parameters) {
    String query =
        parameters.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    URI uri = base.resolve(path + (query.isEmpty() ? "" : "?" + query));
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (!type.startsWith("application/json")) {
        throw new IllegalStateException(
            uri + " answered " + response.statusCode() + " " + type + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted asking " + uri, e);
    }
  }
}
