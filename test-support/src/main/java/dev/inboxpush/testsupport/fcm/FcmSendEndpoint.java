package dev.inboxpush.testsupport.fcm;

import dev.inboxpush.testsupport.fcm.FcmMessageValidator.FieldViolation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake's {@code POST /v1/projects/{project}/messages:send}, and the answer to every other path
 * but the token endpoint's. A request is judged in the order {@link FakeFcmServer} documents: the
 * path, the bearer token (the builder's, or one {@link OAuth2TokenEndpoint} honours), the message
 * ({@link FcmMessageValidator}), then {@link SendScript}; success is {@code 200
 * {"name":"projects/{project}/messages/{id}"}}, {@code fake_message_id} for a dry run. Every judged
 * request goes to the {@link RequestLog} before its answer is delayed and written.
 *
 * <p>Lifecycle: made and owned by {@link FakeFcmServer}; message ids count up from 1 for the
 * server's life, {@link FakeFcmServer#reset()} leaves them.
 *
 * <p>Threading: called on the server's event loop; never blocks: the script's latency is a timer
 * ({@code Mono.delay}), read once when the request arrives.
 *
 * <p>Failure: client mistakes are answers in Google's shape ({@link GoogleErrors}); a request it
 * cannot judge (a bug in the fake) is answered {@code 500} by {@link HttpAnswer#judge}.
 */
final class FcmSendEndpoint {

  private static final Pattern SEND_PATH = Pattern.compile("^/v1/projects/([^/]+)/messages:send$");
  private static final TypeReference<Map<String, @Nullable Object>> OBJECT =
      new TypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String acceptedAccessToken;
  private final OAuth2TokenEndpoint tokens;
  private final SendScript script;
  private final RequestLog requestLog;
  private final AtomicLong messageIds = new AtomicLong();

  FcmSendEndpoint(
      String acceptedAccessToken,
      OAuth2TokenEndpoint tokens,
      SendScript script,
      RequestLog requestLog) {
    this.acceptedAccessToken = acceptedAccessToken;
    this.tokens = tokens;
    this.script = script;
    this.requestLog = requestLog;
  }

  Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    requestLog.arrived();
    Duration delay = script.latency();
    // Out of the in-flight count before the answer's first byte leaves: counted after the write,
    // a client's next request (sent the moment this answer arrived) was sometimes counted beside
    // it,
    // one over the client's real window.
    AtomicBoolean finished = new AtomicBoolean();
    Runnable finish =
        () -> {
          if (finished.compareAndSet(false, true)) {
            requestLog.finished();
          }
        };
    return HttpAnswer.judge(request, this::judge)
        .delayUntil(answer -> delay.isZero() ? Mono.empty() : Mono.delay(delay))
        .flatMap(
            answer -> {
              finish.run();
              return write(response, answer);
            })
        .doFinally(signal -> finish.run());
  }

  private static Mono<Void> write(HttpServerResponse response, HttpAnswer answer) {
    if ("UNAUTHENTICATED".equals(answer.errorCode())) {
      // What Google sends with a bad OAuth2 token; google-auth reads it to decide whether to
      // refresh.
      response.header(
          "www-authenticate",
          "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }
    return answer.writeTo(response);
  }

  private HttpAnswer judge(HttpServerRequest request, String body) {
    String path = URI.create(request.uri()).getRawPath();
    Matcher send = SEND_PATH.matcher(path);
    String project = send.matches() ? send.group(1) : null;
    Map<String, @Nullable Object> message = Map.of();
    HttpAnswer answer;
    if (project == null || !"POST".equals(request.method().name())) {
      answer = GoogleErrors.notFound(path);
    } else if (!authorized(request.requestHeaders().get("authorization"))) {
      answer = GoogleErrors.unauthenticated();
    } else {
      Map<String, @Nullable Object> root = parse(body);
      if (root != null && root.get("message") instanceof Map<?, ?> parsed) {
        message = freeze(parsed);
      }
      List<FieldViolation> violations = FcmMessageValidator.violations(root);
      if (!violations.isEmpty()) {
        answer = GoogleErrors.invalidArgument(violations);
      } else {
        String token = Objects.requireNonNull((String) message.get("token"));
        answer = answer(token, project, Objects.requireNonNull(root));
      }
    }
    requestLog.record(
        new FcmRequest(
            project,
            message,
            body,
            request.version().text(),
            headers(request),
            answer.status(),
            answer.errorCode()));
    return answer;
  }

  private boolean authorized(@Nullable String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String token = authorization.substring("Bearer ".length());
    return token.equals(acceptedAccessToken) || tokens.honours(token);
  }

  private HttpAnswer answer(String token, String project, Map<String, @Nullable Object> root) {
    FcmFailure failure = script.failureFor(token);
    if (failure != null) {
      return GoogleErrors.failure(failure);
    }
    String id =
        Boolean.TRUE.equals(root.get("validate_only"))
            ? "fake_message_id"
            : "0:" + messageIds.incrementAndGet() + "%fakefcm";
    return HttpAnswer.ok(
        JSON.writeValueAsString(Map.of("name", "projects/" + project + "/messages/" + id)));
  }

  private static @Nullable Map<String, @Nullable Object> parse(String body) {
    try {
      return JSON.readValue(body, OBJECT);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static Map<String, List<String>> headers(HttpServerRequest request) {
    Map<String, List<String>> headers = new TreeMap<>();
    for (Map.Entry<String, String> header : request.requestHeaders()) {
      headers
          .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(header.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(headers);
  }

  // A deep, unmodifiable copy: what FcmRequest promises, whatever Jackson handed us.
  private static Map<String, @Nullable Object> freeze(Map<?, ?> object) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    object.forEach((key, value) -> copy.put((String) key, freezeValue(value)));
    return Collections.unmodifiableMap(copy);
  }

  private static @Nullable Object freezeValue(@Nullable Object value) {
    if (value instanceof Map<?, ?> object) {
      return freeze(object);
    }
    if (value instanceof List<?> array) {
      List<@Nullable Object> copy = new ArrayList<>();
      array.forEach(element -> copy.add(freezeValue(element)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
