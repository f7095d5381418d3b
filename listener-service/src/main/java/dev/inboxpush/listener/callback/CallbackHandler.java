package dev.inboxpush.listener.callback;

import dev.inboxpush.listener.callback.CallbackMetrics.Answer;
import dev.inboxpush.listener.callback.CallbackMetrics.Counted;
import dev.inboxpush.listener.ews.EwsParseException;
import dev.inboxpush.listener.ews.SendNotification;
import dev.inboxpush.listener.ews.SendNotificationParser;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.InvalidValueException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Handles {@code POST /ews/v1/{callbackToken}}: guards, parse, answer.
 *
 * <p>Order matters: the source network, content type and size are checked before the body is read,
 * and the body is parsed before anything is looked up, so that hostile input costs a bounded amount
 * of work and never reaches the store. Replies: 200 with {@code SendNotificationResult}; 4xx with a
 * SOAP fault ({@code soap:Client}) for refused requests; 503 with a SOAP fault ({@code
 * soap:Server}) when the answer cannot be given safely. Log lines name the callback token only in
 * shortened form.
 *
 * <p>Runs on the event loop; parsing is synchronous but bounded by the body limit and {@link
 * dev.inboxpush.listener.ews.ParserLimits}. Thread-safe.
 */
final class CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(CallbackHandler.class);

  private static final MediaType SOAP12 = MediaType.parseMediaType("application/soap+xml");
  private static final MediaType REPLY_TYPE =
      MediaType.parseMediaType(SendNotificationReply.CONTENT_TYPE);

  private final SendNotificationParser parser;
  private final CallbackProcessor processor;
  private final SourceNetworks networks;
  private final int maxBodyBytes;
  private final CallbackMetrics metrics;
  private final UnknownTokenBudget unknownTokens;

  CallbackHandler(
      SendNotificationParser parser,
      CallbackProcessor processor,
      SourceNetworks networks,
      CallbackProperties properties,
      CallbackMetrics metrics) {
    this.parser = parser;
    this.processor = processor;
    this.networks = networks;
    this.maxBodyBytes = (int) properties.maxBodySize().toBytes();
    this.metrics = metrics;
    this.unknownTokens = new UnknownTokenBudget(properties);
  }

  Mono<ServerResponse> post(ServerRequest request) {
    String rawToken = request.pathVariable("callbackToken");
    String source =
        networks
            .client(
                request.remoteAddress().orElse(null),
                request.headers().firstHeader("X-Forwarded-For"))
            .map(address -> address.toCanonicalString())
            .orElse("unknown");
    return handle(request, notification -> answerFor(source, rawToken, notification));
  }

  /** The compatibility mode's shared URL: no token, the SubscriptionId decides. */
  Mono<ServerResponse> postShared(ServerRequest request) {
    return handle(request, notification -> processor.processShared(notification).map(Outcome::of));
  }

  private Mono<ServerResponse> handle(
      ServerRequest request, java.util.function.Function<SendNotification, Mono<Outcome>> process) {
    long start = System.nanoTime();
    return Mono.defer(() -> answer(request, process))
        // Every failure below this point, foreseen or not, is a SOAP fault: never Spring's error
        // page, never an Unsubscribe.
        .onErrorResume(error -> Mono.just(failed(error)))
        .flatMap(outcome -> respond(outcome, start));
  }

  /** Any method but POST on the callback path. */
  Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
    return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
        .header("Allow", "POST")
        .contentType(REPLY_TYPE)
        .bodyValue(SendNotificationReply.clientFault("only POST is accepted here"));
  }

  private Mono<Outcome> answer(
      ServerRequest request, java.util.function.Function<SendNotification, Mono<Outcome>> process) {
    String forwardedFor = request.headers().firstHeader("X-Forwarded-For");
    if (!networks.permits(request.remoteAddress().orElse(null), forwardedFor)) {
      return Mono.just(
          Outcome.refused(
              HttpStatus.FORBIDDEN, Counted.SOURCE, "the source network is not allowed"));
    }
    Optional<MediaType> contentType = request.headers().contentType();
    if (contentType.isPresent() && !acceptable(contentType.get())) {
      return Mono.just(
          Outcome.refused(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              Counted.CONTENT_TYPE,
              "send text/xml, application/soap+xml or application/xml"));
    }
    long declared = request.headers().contentLength().orElse(-1);
    if (declared > maxBodyBytes) {
      return Mono.just(tooLarge());
    }
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBodyBytes)
        .map(Failures::bytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(body -> parseAndProcess(body, process))
        .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge()));
  }

  private Mono<Outcome> parseAndProcess(
      byte[] body, java.util.function.Function<SendNotification, Mono<Outcome>> process) {
    SendNotification notification;
    try {
      notification = parser.parse(body);
    } catch (EwsParseException e) {
      log.debug("refused a body: {} ({})", e.getMessage(), e.reason());
      return Mono.just(
          new Outcome(
              HttpStatus.BAD_REQUEST,
              Answer.REFUSED,
              CallbackMetrics.tag(e.reason()),
              SendNotificationReply.clientFault(e.getMessage())));
    }
    return process.apply(notification);
  }

  private Mono<Outcome> answerFor(String source, String rawToken, SendNotification notification) {
    CallbackToken token;
    try {
      token = CallbackToken.parse(rawToken);
    } catch (InvalidValueException e) {
      // No registration can have this token: the subscription is certainly not ours.
      return Mono.just(Outcome.answered(SubscriptionStatus.UNSUBSCRIBE));
    }
    boolean familiar = processor.known(token) || unknownTokens.served(token);
    if (!familiar && !unknownTokens.take(source)) {
      return Mono.just(
          new Outcome(
              HttpStatus.TOO_MANY_REQUESTS,
              Answer.REFUSED,
              Counted.UNKNOWN_TOKENS.reason(),
              SendNotificationReply.clientFault(
                  "too many callback URLs that name no subscription; retry later"),
              unknownTokens.retryAfterSeconds(source)));
    }
    return processor
        .process(token, notification)
        .doOnNext(
            answer -> {
              if (answer == CallbackAnswer.OK) {
                unknownTokens.remember(token);
              }
              // Only an Unsubscribe (the read found nothing to serve) keeps the unit taken.
              if (!familiar && answer != CallbackAnswer.UNSUBSCRIBE) {
                unknownTokens.giveBack(source);
              }
            })
        .doOnError(
            error -> {
              if (!familiar) {
                unknownTokens.giveBack(source);
              }
            })
        .map(Outcome::of);
  }

  /**
   * A connection the sender closed is counted as {@code refused/aborted}. Anything else is ours:
   * 503, transient or not, so that Exchange retries and a subscription is never ended because of
   * our own trouble. A store that refuses requests (missing table, denied access) and anything
   * unforeseen (a defect) are logged as errors for an operator ({@link Failures}).
   */
  private static Outcome failed(Throwable error) {
    Counted reason =
        switch (Failures.classify(error, "EWS")) {
          case ABORTED -> Counted.ABORTED;
          case TOO_SLOW -> Counted.TOO_SLOW;
          case STORE_UNAVAILABLE -> Counted.STORE_UNAVAILABLE;
          case STORE_ERROR -> Counted.STORE_ERROR;
          case INTERNAL_ERROR -> Counted.INTERNAL_ERROR;
        };
    if (reason == Counted.ABORTED) {
      return Outcome.refused(HttpStatus.BAD_REQUEST, reason, "the connection was closed");
    }
    if (reason == Counted.TOO_SLOW) {
      return Outcome.refused(HttpStatus.REQUEST_TIMEOUT, reason, "the body came too slowly");
    }
    return new Outcome(
        HttpStatus.SERVICE_UNAVAILABLE,
        reason.answer(),
        reason.reason(),
        SendNotificationReply.serverFault("temporarily unavailable; retry"));
  }

  private Mono<ServerResponse> respond(Outcome outcome, long start) {
    metrics.record(outcome.answer(), outcome.reason(), Duration.ofNanos(System.nanoTime() - start));
    ServerResponse.BodyBuilder response =
        ServerResponse.status(outcome.status()).contentType(REPLY_TYPE);
    if (outcome.retryAfterSeconds() > 0) {
      response.header("Retry-After", Long.toString(outcome.retryAfterSeconds()));
    }
    return response.bodyValue(outcome.body());
  }

  private static boolean acceptable(MediaType type) {
    return MediaType.TEXT_XML.equalsTypeAndSubtype(type)
        || MediaType.APPLICATION_XML.equalsTypeAndSubtype(type)
        || SOAP12.equalsTypeAndSubtype(type);
  }

  private Outcome tooLarge() {
    return Outcome.refused(
        HttpStatus.CONTENT_TOO_LARGE,
        Counted.TOO_LARGE,
        "the body exceeds " + maxBodyBytes + " bytes");
  }

  /** What to send back, and how to count it: {@code reason} is a bounded tag of the answer. */
  private record Outcome(
      HttpStatus status, Answer answer, String reason, byte[] body, long retryAfterSeconds) {

    /** With the default {@code Retry-After}: 30 s on a 503, none otherwise. */
    Outcome(HttpStatus status, Answer answer, String reason, byte[] body) {
      this(status, answer, reason, body, status == HttpStatus.SERVICE_UNAVAILABLE ? 30 : 0);
    }

    static Outcome of(CallbackAnswer answer) {
      return switch (answer) {
        case OK -> answered(SubscriptionStatus.OK);
        case UNSUBSCRIBE -> answered(SubscriptionStatus.UNSUBSCRIBE);
        case AWAIT_REPLICATION ->
            new Outcome(
                HttpStatus.SERVICE_UNAVAILABLE,
                Counted.AWAITING_REPLICATION.answer(),
                Counted.AWAITING_REPLICATION.reason(),
                SendNotificationReply.serverFault("not yet known in this region; retry"));
      };
    }

    static Outcome answered(SubscriptionStatus status) {
      Counted counted = status == SubscriptionStatus.OK ? Counted.OK : Counted.UNSUBSCRIBE;
      return new Outcome(
          HttpStatus.OK, counted.answer(), counted.reason(), SendNotificationReply.body(status));
    }

    static Outcome refused(HttpStatus status, Counted reason, String message) {
      return new Outcome(
          status, reason.answer(), reason.reason(), SendNotificationReply.clientFault(message));
    }
  }
}
