package dev.inboxpush.testsupport.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Acts as Microsoft Graph towards a listener's Graph URLs, over real HTTP: the validation handshake
 * Graph makes when an app creates a subscription (once per URL), and notification POSTs (JSON
 * bodies from {@link GraphPayloads}). Each answer is returned with how long it took, for tests of
 * Graph's time limits (10 s for the handshake; 3 s before an answer counts as slow).
 *
 * <p>Thread-safe; holds one JDK HTTP client (HTTP/1.1, as Graph's senders use), released with the
 * instance (Java 17's client has no close).
 */
public final class GraphSender {

  /** Graph's own client gives up after this long. */
  public static final Duration GRAPH_TIMEOUT = Duration.ofSeconds(10);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** What the listener answered, and how fast. */
  public record Answer(int status, Optional<String> contentType, String body, Duration elapsed) {}

  /**
   * A validation token like Graph's: opaque, with characters that must be percent-encoded in the
   * query ({@code +}, {@code /}, {@code :}, {@code =}), so that a listener that echoes it still
   * encoded fails.
   */
  public static String validationToken() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "Validation: " + Base64.getEncoder().encodeToString(bytes) + "+/:=";
  }

  /**
   * The handshake: POSTs {@code url?validationToken=...} (percent-encoded, appended to any query
   * the URL has) with an empty {@code text/plain} body, as Graph does.
   */
  public Answer validate(URI url, String validationToken) {
    String separator = url.getRawQuery() == null ? "?" : "&";
    URI target =
        URI.create(
            url
                + separator
                + "validationToken="
                + URLEncoder.encode(validationToken, StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(target)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A notification POST of {@code payloads}' body. */
  public Answer post(URI url, GraphPayloads payloads) {
    return post(url, payloads.build(), "application/json; charset=utf-8");
  }

  /** A POST of any body with any content type (hostile-input tests). */
  public Answer post(URI url, byte[] body, String contentType) {
    return send(
        HttpRequest.newBuilder(url)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private Answer send(HttpRequest.Builder request) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(GRAPH_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type"),
          response.body(),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting", e);
    }
  }
}
