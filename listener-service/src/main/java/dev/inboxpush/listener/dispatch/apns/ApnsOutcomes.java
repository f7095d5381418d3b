package dev.inboxpush.listener.dispatch.apns;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.WarmUp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The one table that turns an APNs answer into a {@link DispatchOutcome}, with a line of why for
 * every reason Apple documents. Pure: no pushy types, no I/O; thread-safe.
 *
 * <p>Rules of docs/architecture.md ("Dead tokens and configuration errors"): only 410 {@code
 * Unregistered} / {@code ExpiredToken} are dead outright; {@code BadDeviceToken} is dead only for a
 * token this environment accepted before (otherwise it is most likely a sandbox/production mix-up);
 * credential and topic errors are configuration errors and delete nothing; 429, 500, 503 and
 * transport failures are retryable.
 */
public final class ApnsOutcomes {

  private ApnsOutcomes() {}

  /** What a reason means. */
  enum Category {
    DEAD,
    DEAD_IF_ACCEPTED_BEFORE,
    CONFIGURATION,
    RETRYABLE,
    FAILED
  }

  /** Every documented reason: status, category, and why. */
  enum Reason {
    UNREGISTERED(
        "Unregistered",
        410,
        Category.DEAD,
        "the app is gone from the device or its token was retired"),
    EXPIRED_TOKEN("ExpiredToken", 410, Category.DEAD, "Apple expired the token"),
    BAD_DEVICE_TOKEN(
        "BadDeviceToken",
        400,
        Category.DEAD_IF_ACCEPTED_BEFORE,
        "dead if this environment took the token before; else a sandbox/production mix-up"),
    DEVICE_TOKEN_NOT_FOR_TOPIC(
        "DeviceTokenNotForTopic",
        400,
        Category.CONFIGURATION,
        "the token belongs to another app: our topic setting"),
    BAD_TOPIC("BadTopic", 400, Category.CONFIGURATION, "the configured topic is invalid"),
    MISSING_TOPIC(
        "MissingTopic",
        400,
        Category.CONFIGURATION,
        "a certificate for several topics needs one named"),
    TOPIC_DISALLOWED(
        "TopicDisallowed",
        400,
        Category.CONFIGURATION,
        "our credentials may not push to this topic"),
    BAD_COLLAPSE_ID(
        "BadCollapseId",
        400,
        Category.FAILED,
        "our collapse id is too long: a bug, retrying repeats it"),
    BAD_EXPIRATION_DATE(
        "BadExpirationDate", 400, Category.FAILED, "our expiration header is wrong: a bug"),
    BAD_MESSAGE_ID("BadMessageId", 400, Category.FAILED, "our apns-id is malformed: a bug"),
    BAD_PRIORITY("BadPriority", 400, Category.FAILED, "our priority is not 5 or 10: a bug"),
    DUPLICATE_HEADERS("DuplicateHeaders", 400, Category.FAILED, "we sent a header twice: a bug"),
    IDLE_TIMEOUT(
        "IdleTimeout", 400, Category.RETRYABLE, "the connection idled out; a new one will do"),
    INVALID_PUSH_TYPE("InvalidPushType", 400, Category.FAILED, "our push type is wrong: a bug"),
    MISSING_DEVICE_TOKEN("MissingDeviceToken", 400, Category.FAILED, "no token in the path: a bug"),
    PAYLOAD_EMPTY("PayloadEmpty", 400, Category.FAILED, "an empty payload: a bug"),
    BAD_CERTIFICATE("BadCertificate", 403, Category.CONFIGURATION, "our client certificate is bad"),
    BAD_CERTIFICATE_ENVIRONMENT(
        "BadCertificateEnvironment",
        403,
        Category.CONFIGURATION,
        "our certificate is for the other environment"),
    EXPIRED_PROVIDER_TOKEN(
        "ExpiredProviderToken",
        403,
        Category.CONFIGURATION,
        "our signing token is over an hour old"),
    FORBIDDEN("Forbidden", 403, Category.CONFIGURATION, "Apple refuses our credentials"),
    INVALID_PROVIDER_TOKEN(
        "InvalidProviderToken", 403, Category.CONFIGURATION, "our key, key id or team id is wrong"),
    MISSING_PROVIDER_TOKEN(
        "MissingProviderToken",
        403,
        Category.CONFIGURATION,
        "neither certificate nor token: setup"),
    UNRELATED_KEY_ID_IN_TOKEN(
        "UnrelatedKeyIdInToken",
        403,
        Category.RETRYABLE,
        "a key id new to this connection; a new connection fixes it"),
    BAD_PATH("BadPath", 404, Category.FAILED, "our request path is wrong: a bug"),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405, Category.FAILED, "not a POST: a bug"),
    PAYLOAD_TOO_LARGE("PayloadTooLarge", 413, Category.FAILED, "our payload is over 4 KB: a bug"),
    TOO_MANY_PROVIDER_TOKEN_UPDATES(
        "TooManyProviderTokenUpdates",
        429,
        Category.CONFIGURATION,
        "we refresh our signing token too often"),
    TOO_MANY_REQUESTS(
        "TooManyRequests", 429, Category.RETRYABLE, "too many pushes to this one token: back off"),
    INTERNAL_SERVER_ERROR("InternalServerError", 500, Category.RETRYABLE, "Apple's trouble"),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, Category.RETRYABLE, "Apple's trouble"),
    SHUTDOWN(
        "Shutdown", 503, Category.RETRYABLE, "the APNs server is going away; another will take it");

    private final String wireName;
    private final int status;
    private final Category category;
    private final String why;

    Reason(String wireName, int status, Category category, String why) {
      this.wireName = wireName;
      this.status = status;
      this.category = category;
      this.why = why;
    }

    String wireName() {
      return wireName;
    }

    int status() {
      return status;
    }

    Category category() {
      return category;
    }

    String why() {
      return why;
    }

    /** The bounded metric and outcome reason. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Map<String, Reason> BY_WIRE_NAME =
      Stream.of(Reason.values())
          .collect(Collectors.toUnmodifiableMap(Reason::wireName, Function.identity()));

  /**
   * The outcome of a rejection.
   *
   * @param status the HTTP status
   * @param reason the {@code reason} of the body, if any
   * @param invalidatedAt for 410, when APNs says the token stopped being valid; now when absent
   * @param acceptedBeforeHere whether this environment accepted a push to this token before
   * @param retryAfter a {@code Retry-After} APNs sent, if any
   * @param now the current time
   */
  public static DispatchOutcome rejected(
      int status,
      @Nullable String reason,
      @Nullable Instant invalidatedAt,
      boolean acceptedBeforeHere,
      @Nullable Duration retryAfter,
      Instant now) {
    Reason known = reason == null ? null : BY_WIRE_NAME.get(reason);
    String label = known == null ? "status_" + status : known.label();
    Category category = known == null ? byStatus(status) : known.category();
    return switch (category) {
      case DEAD ->
          new DispatchOutcome.TokenDead(invalidatedAt == null ? now : invalidatedAt, label);
      case DEAD_IF_ACCEPTED_BEFORE ->
          acceptedBeforeHere
              ? new DispatchOutcome.TokenDead(now, label)
              : new DispatchOutcome.ConfigurationError(label);
      case CONFIGURATION -> new DispatchOutcome.ConfigurationError(label);
      case RETRYABLE -> new DispatchOutcome.Retryable(retryAfter, label);
      case FAILED -> new DispatchOutcome.Failed(label);
    };
  }

  /**
   * The result of the start-up warm-up push (to a token that cannot exist) from APNs' answer. Any
   * answer about the push or its token ({@code BadDeviceToken} is the expected one) means the
   * connection is open and, APNs checking them first, our credentials were taken: warmed. A 403 of
   * the credentials (or an undocumented 403), or a refusal of the configured topic ({@code
   * BadTopic}, {@code TopicDisallowed}, {@code MissingTopic}: every push of the lane would be
   * refused alike): refused. An answer of a reason APNs asks us to retry (429, 5xx, {@code
   * Shutdown}, {@code IdleTimeout}, {@code UnrelatedKeyIdInToken}): failed.
   *
   * @param status the HTTP status, 200 if APNs took it
   * @param reason the {@code reason} of the body, if any
   */
  private static final java.util.Set<Reason> TOPIC_REFUSALS =
      java.util.EnumSet.of(Reason.BAD_TOPIC, Reason.TOPIC_DISALLOWED, Reason.MISSING_TOPIC);

  public static WarmUp.Result warmUp(int status, @Nullable String reason) {
    if (status == 200) {
      return WarmUp.Result.of(WarmUp.Outcome.WARMED, LaneReason.NONE);
    }
    Reason known = reason == null ? null : BY_WIRE_NAME.get(reason);
    String label = known == null ? "status_" + status : known.label();
    Category category = known == null ? byStatus(status) : known.category();
    if (category == Category.RETRYABLE) {
      return new WarmUp.Result(WarmUp.Outcome.FAILED, label);
    }
    if (status == 403 || TOPIC_REFUSALS.contains(known)) {
      return new WarmUp.Result(WarmUp.Outcome.REFUSED, label);
    }
    return new WarmUp.Result(WarmUp.Outcome.WARMED, label);
  }

  /** A push that got no answer: the connection failed, timed out or closed. Always retryable. */
  public static DispatchOutcome transportFailure() {
    return new DispatchOutcome.Retryable(null, LaneReason.TRANSPORT);
  }

  /**
   * Every outcome, by its tags, that this table gives: one per documented reason ({@code
   * BadDeviceToken} both dead and a configuration error) and the transport failure; an undocumented
   * reason's {@code status_NNN} is not among them. For counters that exist before their first push.
   */
  public static List<DispatchOutcome> documented() {
    return DOCUMENTED;
  }

  private static final List<DispatchOutcome> DOCUMENTED = enumerate();

  private static List<DispatchOutcome> enumerate() {
    Set<DispatchOutcome> outcomes = new LinkedHashSet<>();
    for (Reason reason : Reason.values()) {
      for (boolean acceptedBefore : new boolean[] {false, true}) {
        outcomes.add(
            rejected(
                reason.status(), reason.wireName(), null, acceptedBefore, null, Instant.EPOCH));
      }
    }
    outcomes.add(transportFailure());
    return List.copyOf(outcomes);
  }

  /**
   * Whether an outcome means APNs itself is in trouble (its 5xx, {@code Shutdown}, timeouts, lost
   * connections), which the outage circuit breaker counts, rather than trouble with one push or
   * token ({@code TooManyRequests} for one device is not an outage).
   */
  public static boolean providerTrouble(DispatchOutcome outcome) {
    if (!(outcome instanceof DispatchOutcome.Retryable retryable)) {
      return false;
    }
    String reason = retryable.reason();
    return PROVIDER_TROUBLE.contains(reason) || reason.startsWith("status_5");
  }

  private static final Set<String> PROVIDER_TROUBLE =
      Set.of(
          LaneReason.TRANSPORT.tag(),
          LaneReason.TIMEOUT.tag(),
          Reason.INTERNAL_SERVER_ERROR.label(),
          Reason.SERVICE_UNAVAILABLE.label(),
          Reason.SHUTDOWN.label());

  /** An undocumented reason, by its status alone. */
  private static Category byStatus(int status) {
    if (status == 410) {
      return Category.DEAD;
    }
    if (status == 403) {
      return Category.CONFIGURATION;
    }
    if (status == 429 || status >= 500) {
      return Category.RETRYABLE;
    }
    return Category.FAILED;
  }
}
