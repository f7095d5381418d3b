package dev.inboxpush.listener.delivery;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.LaneReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of the delivery path; every tag comes from a bounded set (platform wire names, {@link
 * dev.inboxpush.listener.dispatch.DispatchOutcome#label()}s, the reasons of the outcome tables and
 * {@link dev.inboxpush.listener.dispatch.LaneReason#tag()}s, and the drop reasons below). The
 * counters of every bounded combination are registered before the first push ({@link #register},
 * called by {@link PushDelivery} for every outcome the dispatcher can give); an undocumented
 * provider status ({@code status_NNN}) is counted from its first occurrence.
 *
 * <ul>
 *   <li>{@value #PUSHES}{@code {platform, outcome, reason}}: pushes tried while answering a POST;
 *       {@code reason} is the provider's or one of our own, such as the budget's {@code timeout}.
 *   <li>{@value #PENDING_WRITTEN}{@code {reason}}: badges parked instead of delivered (the
 *       outcome's label, or {@code throttled} for a coalesced wake-up).
 *   <li>{@value #REDELIVERED}{@code {outcome, reason}}: redelivery attempts of parked badges.
 *   <li>{@value #DROPPED}{@code {reason}}: parked badges given up: {@code too_old}, {@code
 *       registration_gone}, {@code failed}.
 * </ul>
 *
 * Thread-safe.
 */
public final class DeliveryMetrics {

  public static final String PUSHES = "inboxpush.listener.pushes";
  public static final String PENDING_WRITTEN = "inboxpush.listener.pending.written";
  public static final String REDELIVERED = "inboxpush.listener.pending.redelivered";
  public static final String DROPPED = "inboxpush.listener.pending.dropped";

  /** Why a parked badge was given up. */
  public enum DropReason {
    /** Older than {@code inboxpush.listener.outbox.max-age}. */
    TOO_OLD("too_old"),
    /** Its registration was deleted or expired meanwhile. */
    REGISTRATION_GONE("registration_gone"),
    /** The provider refused it for good. */
    FAILED("failed");

    private final String tag;

    DropReason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (DropReason reason : DropReason.values()) {
      dropCounter(reason);
    }
    pendingCounter(LaneReason.THROTTLED.tag());
  }

  /**
   * Registers, at 0, the counters a push of {@code platform} with {@code outcome} would count:
   * tried for a POST, redelivered, and (when such an outcome parks the badge) written as pending.
   */
  void register(String platform, DispatchOutcome outcome, boolean parks) {
    pushCounter(platform, outcome);
    redeliveredCounter(outcome);
    if (parks) {
      pendingCounter(outcome.label());
    }
  }

  void push(String platform, DispatchOutcome outcome) {
    pushCounter(platform, outcome).increment();
  }

  void pendingWritten(String reason) {
    pendingCounter(reason).increment();
  }

  void redelivered(DispatchOutcome outcome) {
    redeliveredCounter(outcome).increment();
  }

  /** Counts a parked badge given up. */
  public void dropped(DropReason reason) {
    dropCounter(reason).increment();
  }

  private Counter pushCounter(String platform, DispatchOutcome outcome) {
    return counter(
        PUSHES,
        "pushes tried while answering a POST, by outcome and reason",
        "platform",
        platform,
        "outcome",
        outcome.label(),
        "reason",
        outcome.reason());
  }

  private Counter pendingCounter(String reason) {
    return counter(
        PENDING_WRITTEN,
        "badges written as pending instead of delivered, by reason",
        "reason",
        reason);
  }

  private Counter redeliveredCounter(DispatchOutcome outcome) {
    return counter(
        REDELIVERED,
        "redelivery attempts of parked badges, by outcome and reason",
        "outcome",
        outcome.label(),
        "reason",
        outcome.reason());
  }

  private Counter dropCounter(DropReason reason) {
    return counter(DROPPED, "parked badges given up, by reason", "reason", reason.tag());
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(
        name + String.join("/", tags),
        key -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
