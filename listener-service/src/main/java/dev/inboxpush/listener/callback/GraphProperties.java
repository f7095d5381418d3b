package dev.inboxpush.listener.callback;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code inboxpush.listener.graph.*}: the Microsoft Graph endpoints, {@code POST
 * /graph/v1/{callbackToken}} (change notifications) and {@code .../lifecycle} (lifecycle events).
 *
 * @param maxBodySize the largest body accepted (default 1MB); larger ones get 413 unread
 * @param pushBudget how long a push may take before the wake-up is parked and the POST answered
 *     (default 1s): Graph counts an answer slower than 3 s as slow, throttles an endpoint whose
 *     share of slow answers passes 10% and drops its notifications past 15%, so the budget stays
 *     well inside 3 s with room for the reads and writes around it. 100ms to 2s
 * @param maxValidationTokenLength the longest {@code validationToken} echoed (default 2048
 *     characters; Graph's are about a hundred); a longer one is refused with 400. A request line
 *     over 4 KB is refused by the HTTP server itself with 414
 */
@ConfigurationProperties("inboxpush.listener.graph")
public record GraphProperties(
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("1s") Duration pushBudget,
    @DefaultValue("2048") int maxValidationTokenLength) {

  public GraphProperties {
    if (maxBodySize.toBytes() < 16 * 1024 || maxBodySize.toBytes() > 16L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "inboxpush.listener.graph.max-body-size must be 16KB to 16MB");
    }
    if (pushBudget.compareTo(Duration.ofMillis(100)) < 0
        || pushBudget.compareTo(Duration.ofSeconds(2)) > 0) {
      throw new IllegalArgumentException(
          "inboxpush.listener.graph.push-budget must be 100ms to 2s (Graph wants an answer within"
              + " 3s)");
    }
    if (maxValidationTokenLength < 64 || maxValidationTokenLength > 3072) {
      throw new IllegalArgumentException(
          "inboxpush.listener.graph.max-validation-token-length must be 64 to 3072");
    }
  }
}
