package dev.inboxpush.testsupport.fcm;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One answer of the fake, decided before anything is written: both endpoints judge a whole request
 * body into one of these, and only then write it. Immutable.
 *
 * @param status the HTTP status
 * @param contentType the {@code content-type} header
 * @param body the body, sent as it is
 * @param retryAfter the {@code retry-after} header, or {@code null} for none
 * @param errorCode what the answer is counted and recorded as: an FCM error code, a Google status,
 *     an OAuth2 error, {@code FAKE_BUG}; {@code null} on success
 */
record HttpAnswer(
    int status,
    String contentType,
    String body,
    @Nullable String retryAfter,
    @Nullable String errorCode) {

  // Logged under the facade's name: the one category a test configures for the whole fake.
  private static final Logger log = LoggerFactory.getLogger(FakeFcmServer.class);

  static HttpAnswer ok(String body) {
    return new HttpAnswer(200, "application/json; charset=UTF-8", body, null, null);
  }

  /**
   * Reads the whole body of {@code request} (empty if it has none) and lets {@code judge} decide
   * the answer. A judge that throws is a bug in the fake: it is logged at ERROR and answered {@code
   * 500} in plain text, so that it cannot pass for a scripted {@code INTERNAL}.
   */
  static Mono<HttpAnswer> judge(
      HttpServerRequest request, BiFunction<HttpServerRequest, String, HttpAnswer> judge) {
    return request
        .receive()
        .aggregate()
        .asByteArray()
        .defaultIfEmpty(new byte[0])
        .map(body -> judge.apply(request, new String(body, StandardCharsets.UTF_8)))
        .onErrorResume(
            error -> {
              log.error("The fake FCM server failed on {}", request.uri(), error);
              return Mono.just(bug(error));
            });
  }

  private static HttpAnswer bug(Throwable error) {
    return new HttpAnswer(
        500, "text/plain; charset=UTF-8", "fake FCM server bug: " + error, null, "FAKE_BUG");
  }

  /**
   * Writes this answer: status, {@code content-type}, {@code retry-after} if any, then the body.
   */
  Mono<Void> writeTo(HttpServerResponse response) {
    response.status(status).header("content-type", contentType);
    if (retryAfter != null) {
      response.header("retry-after", retryAfter);
    }
    return response.sendString(Mono.just(body)).then();
  }
}
