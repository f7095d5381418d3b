package dev.inboxpush.benchmark.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTests {

  @Test
  void cpuIsUserPlusSystemTicksCountedAfterTheCommandName() {
    // A command name with a space and a parenthesis; utime 1234, stime 566 (fields 14 and 15).
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1234 566 0 0 20 0 42 0 100"
            + " 123456789 4321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

    assertThat(ProcStat.cpuMicros(stat)).isEqualTo((1234 + 566) * 10_000L);
  }

  @Test
  void aLineThatIsNotAStatLineIsRefused() {
    assertThatThrownBy(() -> ProcStat.cpuMicros("no parenthesis here"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStat.cpuMicros("1 (short) S 1 2"))
        .hasMessageContaining("too short");
  }

  @Test
  void rssIsVmRssInBytes() {
    String status = "Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  350000 kB\nThreads:\t42\n";

    assertThat(ProcStat.rssBytes(status)).isEqualTo(350_000L * 1024);
    assertThatThrownBy(() -> ProcStat.rssBytes("Name:\tjava\n")).hasMessageContaining("no VmRSS");
  }

  @Test
  void thisProcessHasUsedSomeCpuAndMemory() {
    long self = ProcessHandle.current().pid();

    assertThat(ProcStat.cpuMicros(self)).isPositive();
    assertThat(ProcStat.rssBytes(self)).isGreaterThan(1 << 20);
    assertThat(ProcStat.loadAverage()).matches("[0-9.]+ / [0-9.]+ / [0-9.]+");
  }
}
