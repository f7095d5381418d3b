package dev.inboxpush.simulator.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what each device received with what it should have, as a pure function. For a device
 * with at least one expected badge, on its accepted pushes that carry a badge, in arrival order:
 *
 * <ul>
 *   <li><b>lost</b>: the last expected badge never arrived (nor any badge at all);
 *   <li><b>wrong</b>: it arrived, but the device's last badge is another value (a stale push came
 *       after it, or one nobody expected);
 *   <li><b>duplicated</b>: pushes of a value beyond the number of times it was expected (a retry
 *       that pushed again; harmless, badges are absolute, but counted);
 *   <li><b>unexpected</b>: pushes of a value never expected for that device (also for devices that
 *       expected no badge);
 *   <li><b>superseded</b>: expected pushes of an earlier value that never arrived while a later one
 *       did (a parked badge replaced by a newer one: by design, counted only).
 * </ul>
 *
 * For a device whose accounts posted at the same time ({@link DeviceExpectation#lastOnly()}) only
 * lost and wrong are decided. A device whose expectation is {@linkplain
 * DeviceExpectation#excluded() excluded} is not checked and counted apart; pushes to tokens the
 * simulator does not know (the listener's warm-up) are ignored. Thread-safe (stateless).
 */
public final class BadgeCheck {

  private static final int PROBLEMS_SHOWN = 20;

  private BadgeCheck() {}

  /**
   * The check's figures.
   *
   * @param devices devices checked (with at least one expected badge, not excluded)
   * @param correct of those, devices whose last badge is the expected one
   * @param lost devices whose last expected badge never arrived
   * @param wrong devices that got it, then another
   * @param excluded devices not checked
   * @param wakeOnly devices that expected no badge (only wake-ups), not excluded
   * @param duplicated see the class comment
   * @param unexpected see the class comment
   * @param superseded see the class comment
   * @param pushes pushes received for the simulator's devices
   * @param badges of those, accepted with a badge
   * @param wakes of those, accepted without a badge
   * @param rejected of those, rejected by the push server (dead tokens)
   * @param problems one line per lost or wrong device (at most {@value #PROBLEMS_SHOWN}), tokens
   *     shortened
   */
  public record Result(
      int devices,
      int correct,
      int lost,
      int wrong,
      int excluded,
      int wakeOnly,
      long duplicated,
      long unexpected,
      long superseded,
      long pushes,
      long badges,
      long wakes,
      long rejected,
      List<String> problems) {

    public Result {
      problems = List.copyOf(problems);
    }

    /** Whether every checked device shows its expected badge. */
    public boolean passed() {
      return lost == 0 && wrong == 0;
    }
  }

  public static Result check(List<DeviceExpectation> expected, List<ReceivedPush> received) {
    Map<String, List<ReceivedPush>> byDevice = new HashMap<>();
    Map<String, DeviceExpectation> known = new LinkedHashMap<>();
    for (DeviceExpectation device : expected) {
      known.put(device.key(), device);
    }
    long pushes = 0;
    long badges = 0;
    long wakes = 0;
    long rejected = 0;
    List<ReceivedPush> ordered = new ArrayList<>(received);
    ordered.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    for (ReceivedPush push : ordered) {
      String key = push.platform() + " " + push.token();
      if (!known.containsKey(key)) {
        continue;
      }
      pushes++;
      if (!push.accepted()) {
        rejected++;
      } else if (push.badge() == null) {
        wakes++;
      } else {
        badges++;
        byDevice.computeIfAbsent(key, k -> new ArrayList<>()).add(push);
      }
    }
    int devices = 0;
    int correct = 0;
    int lost = 0;
    int wrong = 0;
    int excluded = 0;
    int wakeOnly = 0;
    long duplicated = 0;
    long unexpected = 0;
    long superseded = 0;
    List<String> problems = new ArrayList<>();
    for (DeviceExpectation device : known.values()) {
      List<ReceivedPush> got = byDevice.getOrDefault(device.key(), List.of());
      if (device.excluded() != null) {
        excluded++;
        continue;
      }
      Map<Integer, Integer> wanted = counts(device.badges());
      Map<Integer, Integer> arrived = new HashMap<>();
      for (ReceivedPush push : got) {
        arrived.merge(push.badge(), 1, Integer::sum);
      }
      for (Map.Entry<Integer, Integer> value : arrived.entrySet()) {
        if (device.lastOnly()) {
          break; // earlier sums are not known: only the last badge is checked
        }
        int want = wanted.getOrDefault(value.getKey(), 0);
        if (want == 0) {
          unexpected += value.getValue();
        } else if (value.getValue() > want) {
          duplicated += value.getValue() - want;
        }
      }
      for (Map.Entry<Integer, Integer> value : wanted.entrySet()) {
        if (device.lastOnly()) {
          break;
        }
        int came = arrived.getOrDefault(value.getKey(), 0);
        if (came < value.getValue()) {
          superseded += value.getValue() - came;
        }
      }
      if (device.badges().isEmpty()) {
        wakeOnly++;
        continue;
      }
      devices++;
      int last = device.badges().get(device.badges().size() - 1);
      Integer shown = got.isEmpty() ? null : got.get(got.size() - 1).badge();
      if (shown != null && shown == last) {
        correct++;
        // The last expected value arrived last; it is not superseded however often it was wanted.
        continue;
      }
      boolean arrivedOnce = arrived.containsKey(last);
      if (arrivedOnce) {
        wrong++;
      } else {
        lost++;
      }
      if (problems.size() < PROBLEMS_SHOWN) {
        problems.add(
            (arrivedOnce ? "wrong" : "lost")
                + ": "
                + device.platform()
                + " "
                + shorten(device.token())
                + " expected "
                + last
                + ", shows "
                + (shown == null ? "no badge" : shown)
                + " (expected "
                + device.badges()
                + ", received "
                + got.stream().map(ReceivedPush::badge).toList()
                + ")");
      }
    }
    return new Result(
        devices,
        correct,
        lost,
        wrong,
        excluded,
        wakeOnly,
        duplicated,
        unexpected,
        superseded,
        pushes,
        badges,
        wakes,
        rejected,
        problems);
  }

  /** A token as the services' logs show it: its first six characters and its length. */
  public static String shorten(String token) {
    return token.length() <= 6
        ? token + "…(" + token.length() + ")"
        : token.substring(0, 6) + "…(" + token.length() + ")";
  }

  private static Map<Integer, Integer> counts(List<Integer> values) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Integer value : values) {
      counts.merge(value, 1, Integer::sum);
    }
    return counts;
  }
}
