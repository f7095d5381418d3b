package dev.inboxpush.doctor;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a run found: every step in order and the outcome, whose exit code the command returns.
 * Immutable.
 */
public record Report(List<Step> steps, Outcome outcome) {

  public Report {
    steps = List.copyOf(steps);
  }

  /** One step as a report line. */
  static String line(Step step) {
    String number = step.number() == 0 ? "-" : String.valueOf(step.number());
    return String.format(
        Locale.ROOT,
        "%2s. %-52s %-7s %8s  %s",
        number,
        step.name(),
        step.result().label(),
        seconds(step.took()),
        step.detail());
  }

  /** The summary under the steps: the outcome, and for a failure its likely cause and fix. */
  void printSummary(PrintStream out) {
    out.println();
    out.println("Result: " + outcome.title() + " (exit " + outcome.exitCode() + ")");
    if (outcome != Outcome.PUSH_WORKS) {
      out.println("Likely cause: " + outcome.cause());
      out.println("Fix: " + outcome.fix());
    }
  }

  private static String seconds(Duration took) {
    return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
  }
}
