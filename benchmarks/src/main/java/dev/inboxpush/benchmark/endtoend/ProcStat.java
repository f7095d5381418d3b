package dev.inboxpush.benchmark.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says about a process: the CPU time it has used (user plus system, from
 * {@code /proc/<pid>/stat}) and its resident set ({@code VmRSS} of {@code /proc/<pid>/status}). CPU
 * time per process holds on a busy machine, where rates do not. Stateless; the parsing is separate
 * from the reading so that it can be tested on fixed text.
 */
public final class ProcStat {

  /** Clock ticks per second of {@code utime}/{@code stime}: {@code USER_HZ}, 100 on Linux. */
  static final long TICKS_PER_SECOND = 100;

  private ProcStat() {}

  /** The CPU time {@code pid} has used so far, in microseconds. */
  static long cpuMicros(long pid) {
    return cpuMicros(read(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /** Its resident set now, in bytes (also the start-up benchmarks' figure). */
  public static long rssBytes(long pid) {
    return rssBytes(read(Path.of("/proc", Long.toString(pid), "status")));
  }

  /** The machine's load averages over 1, 5 and 15 minutes, as {@code /proc/loadavg} has them. */
  static String loadAverage() {
    String[] fields = read(Path.of("/proc/loadavg")).trim().split("\\s+");
    return fields[0] + " / " + fields[1] + " / " + fields[2];
  }

  /**
   * Fields 14 and 15 (utime, stime) of a {@code stat} line, counted after the command name's
   * closing parenthesis: the name itself may hold spaces and parentheses.
   *
   * @throws IllegalArgumentException when the line is not a {@code stat} line
   */
  static long cpuMicros(String statLine) {
    int end = statLine.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    // After ") ": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
    String[] fields = statLine.substring(end + 1).trim().split("\\s+");
    if (fields.length < 13) {
      throw new IllegalArgumentException("a /proc/<pid>/stat line too short: " + statLine);
    }
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1_000_000L / TICKS_PER_SECOND;
  }

  /** {@code VmRSS: 123456 kB} of a {@code status} text, in bytes. */
  static long rssBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
        if (fields.length != 2 || !fields[1].equals("kB")) {
          throw new IllegalArgumentException("unexpected VmRSS line: " + line);
        }
        return Long.parseLong(fields[0]) * 1024;
      }
    }
    throw new IllegalArgumentException("no VmRSS line in /proc/<pid>/status");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (has the process exited?)", e);
    }
  }
}
