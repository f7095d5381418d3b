package dev.inboxpush.testsupport.fcm;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * How the fake misbehaves when a test asks it to: failures scripted per registration token (for
 * ever or for the next few requests), failures drawn at random at set rates from one seeded {@link
 * Random}, and a latency added to every answer. Lives as long as its server; {@link #reset()}
 * forgets everything but the random generator's position.
 *
 * <p>Thread-safe: the send endpoint asks it on the event loop while tests change it; a change
 * applies to requests that ask afterwards. The random draw is serialised, so that sequential
 * requests see the same answers for the same seed.
 *
 * <p>Failure: the setters refuse values FCM could not produce ({@link IllegalArgumentException}),
 * so a bad script fails in the test that writes it, not in a request.
 */
final class SendScript {

  private final Map<String, TokenScript> tokenScripts = new ConcurrentHashMap<>();
  private final Random random;
  // An EnumMap iterates in declaration order, whatever order the rates were set in: that fixes
  // how one random draw is split among the error kinds, so a seed means the same answers.
  private final Map<FcmErrorCode, RandomFailure> randomFailures = new EnumMap<>(FcmErrorCode.class);
  private volatile Duration latency = Duration.ZERO;

  SendScript(long randomSeed) {
    this.random = new Random(randomSeed);
  }

  /** Fails every request for {@code token} from now on. */
  void failToken(String token, FcmFailure failure) {
    tokenScripts.put(token, new TokenScript(failure, -1));
  }

  /** Fails the next {@code times} requests for {@code token}. */
  void failToken(String token, FcmFailure failure, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    tokenScripts.put(token, new TokenScript(failure, times));
  }

  void clearToken(String token) {
    tokenScripts.remove(token);
  }

  /** Sets the rate of {@code failure}'s code, replacing an earlier rate for it. */
  void failRandomly(FcmFailure failure, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("a rate is between 0 and 1: " + rate);
    }
    synchronized (randomFailures) {
      double others =
          randomFailures.values().stream()
              .filter(existing -> existing.failure().code() != failure.code())
              .mapToDouble(RandomFailure::rate)
              .sum();
      if (others + rate > 1.0 + 1e-9) {
        throw new IllegalArgumentException(
            "random failure rates add up to more than 1: " + (others + rate));
      }
      randomFailures.put(failure.code(), new RandomFailure(failure, rate));
    }
  }

  void setLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    this.latency = latency;
  }

  /** The delay to add to an answer, read once when a request arrives. */
  Duration latency() {
    return latency;
  }

  /**
   * The failure to answer a well-formed request for {@code token} with, or {@code null} to accept
   * it: a token's script first (using up one of its answers), otherwise one random draw.
   */
  @Nullable FcmFailure failureFor(String token) {
    TokenScript script = tokenScripts.get(token);
    if (script != null && script.take()) {
      return script.failure();
    }
    return draw();
  }

  /** Forgets token scripts, rates and latency. */
  void reset() {
    tokenScripts.clear();
    synchronized (randomFailures) {
      randomFailures.clear();
    }
    latency = Duration.ZERO;
  }

  private @Nullable FcmFailure draw() {
    synchronized (randomFailures) {
      if (randomFailures.isEmpty()) {
        return null;
      }
      double draw = random.nextDouble();
      double cumulative = 0;
      for (RandomFailure candidate : randomFailures.values()) {
        cumulative += candidate.rate();
        if (draw < cumulative) {
          return candidate.failure();
        }
      }
      return null;
    }
  }

  private static final class TokenScript {

    private final FcmFailure failure;
    // -1: for ever; otherwise the answers left.
    private final AtomicInteger remaining;

    TokenScript(FcmFailure failure, int remaining) {
      this.failure = failure;
      this.remaining = new AtomicInteger(remaining);
    }

    FcmFailure failure() {
      return failure;
    }

    boolean take() {
      return remaining.getAndUpdate(left -> left > 0 ? left - 1 : left) != 0;
    }
  }

  private record RandomFailure(FcmFailure failure, double rate) {}
}
