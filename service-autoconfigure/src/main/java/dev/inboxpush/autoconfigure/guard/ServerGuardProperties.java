package dev.inboxpush.autoconfigure.guard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.server.*}: how much the public server takes on, and how long a client may take.
 *
 * @param maxInFlight requests the public server works on at once (default 256); the next one is
 *     answered 503 with {@code Retry-After} before its body is read. Memory in the worst case is
 *     about this many bodies of the largest accepted size
 * @param retryAfter what that 503 tells the client to wait (default 1s; whole seconds, at least 1)
 * @param headerTimeout the longest a request head may take to arrive whole, counted from its first
 *     byte (default 10s); then the connection is closed. Bounds a client that trickles its headers,
 *     which the idle timeout alone does not; a connection that sends nothing is left to {@code
 *     server.netty.idle-timeout}
 * @param readTimeout the longest pause between two reads of a request body (default 10s)
 * @param requestTimeout the longest a whole request body may take to arrive (default 30s)
 */
@ConfigurationProperties("inboxpush.server")
@Validated
public record ServerGuardProperties(
    @DefaultValue("256") @Min(1) @Max(1_000_000) int maxInFlight,
    @DefaultValue("1s") @DurationUnit(java.time.temporal.ChronoUnit.SECONDS) Duration retryAfter,
    @DefaultValue("10s") Duration headerTimeout,
    @DefaultValue("10s") Duration readTimeout,
    @DefaultValue("30s") Duration requestTimeout) {

  public ServerGuardProperties {
    if (retryAfter.toMillis() < 1000 || retryAfter.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "inboxpush.server.retry-after must be whole seconds, at least 1s");
    }
    positive("header-timeout", headerTimeout);
    positive("read-timeout", readTimeout);
    positive("request-timeout", requestTimeout);
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("inboxpush.server." + key + " must be positive");
    }
  }
}
