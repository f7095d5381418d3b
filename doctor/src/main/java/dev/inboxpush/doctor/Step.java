package dev.inboxpush.doctor;

import java.time.Duration;

/**
 * One step of a run, as the report prints it.
 *
 * @param number the step (1 check EWS, 2 subscribe, 3 wait, 4 clean up); 0 for the
 *     registration the steps need
 * @param name what was done
 * @param result how it went
 * @param took how long it took
 * @param detail what was found, one line; never a credential, a mailbox address or a whole callback
 *     URL
 */
public record Step(int number, String name, Result result, Duration took, String detail) {

  public enum Result {
    OK("ok"),
    WARNING("warning"),
    FAILED("FAILED");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
