package dev.inboxpush.simulator;

import dev.inboxpush.simulator.check.BadgeCheck;
import dev.inboxpush.simulator.check.DeviceExpectation;
import dev.inboxpush.simulator.check.ReceivedPush;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run did and found: the devices and accounts registered, every POST and answer counted (the
 * {@link #counts()} keys: {@code posts}, {@code posts.<kind>}, {@code retries}, {@code
 * answered.ok}, {@code answered.unsubscribe}, {@code answered.http-<status>}, {@code
 * answered.timeout}, {@code answered.transport}, {@code subscriptions.dropped}, {@code
 * unsubscribe.unexpected}, {@code dead.tokens}, {@code dead.unsubscribed}, {@code
 * dead.not-unsubscribed}, {@code resubscribed}, {@code expected.badges}, {@code expected.wakes},
 * {@code expected.resubscribes}, {@code failover}; the kinds of {@code posts.<kind>} are {@link
 * dev.inboxpush.simulator.exchange.Post#kind()}'s and {@code dead-token-probe}), the badge check,
 * and why it failed. Immutable.
 *
 * @param devices devices registered
 * @param accounts registrations (accounts) over them
 * @param multiAccountDevices devices with more than one account
 * @param registeredIn how long signing in, registering and binding took
 * @param trafficFor how long traffic ran, with its drain
 * @param failedOver whether POSTs were moved to the failover listener
 * @param counts the counters above
 * @param check the badge check
 * @param missedPushes pushes that fell out of the inspector before they were read
 * @param failures one line per reason the run failed; empty when it passed
 * @param expected what each device should have received (for a second look at the check)
 * @param received every push the inspector showed during the run, in arrival order
 * @param secrets what the run handed the services that no log line of theirs may show: every device
 *     token, callback token, SubscriptionId and bearer token (never printed)
 */
public record Report(
    int devices,
    int accounts,
    int multiAccountDevices,
    Duration registeredIn,
    Duration trafficFor,
    boolean failedOver,
    Map<String, Long> counts,
    BadgeCheck.Result check,
    long missedPushes,
    List<String> failures,
    List<DeviceExpectation> expected,
    List<ReceivedPush> received,
    Set<String> secrets) {

  public Report {
    secrets = Set.copyOf(secrets);
    counts = Map.copyOf(counts);
    failures = List.copyOf(failures);
    expected = List.copyOf(expected);
    received = List.copyOf(received);
  }

  /** A short form that leaves the secrets (and the long lists) out. */
  @Override
  public String toString() {
    return "Report[devices=" + devices + ", accounts=" + accounts + ", passed=" + passed() + "]";
  }

  /** Whether nothing was lost: no failure. */
  public boolean passed() {
    return failures.isEmpty();
  }

  /** A counter, 0 when it never counted. */
  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** The reasons a run with these figures fails (see {@link Simulator}). */
  static List<String> failures(
      Map<String, Long> counts,
      BadgeCheck.Result check,
      long missed,
      boolean restarted,
      List<String> errors) {
    List<String> failures = new ArrayList<>(errors);
    if (check.lost() > 0) {
      failures.add(check.lost() + " device(s) lost their last badge");
    }
    if (check.wrong() > 0) {
      failures.add(check.wrong() + " device(s) show a wrong badge");
    }
    if (check.unexpected() > 0) {
      failures.add(check.unexpected() + " push(es) carried a badge no POST asked for");
    }
    long unexpectedUnsubscribe = counts.getOrDefault("unsubscribe.unexpected", 0L);
    if (unexpectedUnsubscribe > 0) {
      failures.add(unexpectedUnsubscribe + " live subscription(s) were answered Unsubscribe");
    }
    long dropped = counts.getOrDefault("subscriptions.dropped", 0L);
    if (dropped > 0) {
      failures.add(
          dropped + " subscription(s) dropped: a POST was not answered through its retries");
    }
    long notUnsubscribed = counts.getOrDefault("dead.not-unsubscribed", 0L);
    if (notUnsubscribed > 0) {
      failures.add(
          notUnsubscribed + " subscription(s) of dead tokens were answered OK, not Unsubscribe");
    }
    if (missed > 0) {
      failures.add(
          missed + " push(es) fell out of the inspector unread: the check cannot be trusted");
    }
    if (restarted) {
      failures.add("the push server restarted during the run: the check cannot be trusted");
    }
    return failures;
  }

  /** The report as lines of text (tokens shortened, no secret). */
  public void print(PrintStream out) {
    out.printf(
        "devices %d (%d with several accounts), accounts %d; registered in %.1f s, traffic %.1f s%s%n",
        devices,
        multiAccountDevices,
        accounts,
        registeredIn.toMillis() / 1000.0,
        trafficFor.toMillis() / 1000.0,
        failedOver ? ", failed over mid-run" : "");
    out.printf("POSTs %d (retries %d): %s%n", count("posts"), count("retries"), prefixed("posts."));
    out.printf("answers: %s%n", prefixed("answered."));
    out.printf(
        "subscriptions: dropped %d, unexpected Unsubscribe %d, error forms %d (resubscribed %d);"
            + " dead tokens %d: unsubscribed %d, answered OK %d%n",
        count("subscriptions.dropped"),
        count("unsubscribe.unexpected"),
        count("posts.error-form"),
        count("resubscribed"),
        count("dead.tokens"),
        count("dead.unsubscribed"),
        count("dead.not-unsubscribed"));
    out.printf(
        "pushes received %d: badges %d, wake-ups %d, rejected %d; expected badges %d, wake-ups %d,"
            + " resubscribes %d%n",
        check.pushes(),
        check.badges(),
        check.wakes(),
        check.rejected(),
        count("expected.badges"),
        count("expected.wakes"),
        count("expected.resubscribes"));
    out.printf(
        "badges checked on %d devices: correct %d, lost %d, wrong %d; duplicated %d, unexpected %d,"
            + " superseded %d; not checked %d (dead or dropped), wake-ups only %d; missed by the"
            + " inspector %d%n",
        check.devices(),
        check.correct(),
        check.lost(),
        check.wrong(),
        check.duplicated(),
        check.unexpected(),
        check.superseded(),
        check.excluded(),
        check.wakeOnly(),
        missedPushes);
    check.problems().forEach(problem -> out.println("  " + problem));
    if (passed()) {
      out.println("PASSED: nothing lost");
    } else {
      failures.forEach(failure -> out.println("FAILED: " + failure));
    }
  }

  private String prefixed(String prefix) {
    StringBuilder text = new StringBuilder();
    counts.entrySet().stream()
        .filter(entry -> entry.getKey().startsWith(prefix))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            entry ->
                text.append(text.length() == 0 ? "" : ", ")
                    .append(entry.getKey().substring(prefix.length()))
                    .append(' ')
                    .append(entry.getValue()));
    return text.length() == 0 ? "none" : text.toString();
  }
}
