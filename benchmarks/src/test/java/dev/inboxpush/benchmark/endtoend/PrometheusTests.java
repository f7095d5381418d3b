package dev.inboxpush.benchmark.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTests {

  private static final String SCRAPE =
      """
      # HELP inboxpush_dynamodb_calls_total Calls to the table
      # TYPE inboxpush_dynamodb_calls_total counter
      inboxpush_dynamodb_calls_total{operation="GetItem",outcome="ok"} 235.0
      inboxpush_dynamodb_calls_total{operation="GetItem",outcome="client_error"} 1.0
      inboxpush_dynamodb_calls_total{operation="UpdateItem",outcome="ok"} 200.0
      jvm_gc_memory_allocated_bytes_total 4.2E8
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3.0E7
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
      jvm_compilation_time_ms_total{compiler="HotSpot 64-Bit Tiered Compilers"} 8123.0
      """;

  @Test
  void samplesAreSummedByNameAndLabels() {
    Prometheus metrics = Prometheus.parse(SCRAPE);

    assertThat(metrics.sum("jvm_gc_memory_allocated_bytes_total")).isEqualTo(4.2e8);
    assertThat(metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(4.0e7);
    assertThat(metrics.sum("jvm_compilation_time_ms_total")).isEqualTo(8123);
    assertThat(metrics.sum("no_such_metric")).isZero();
    assertThat(metrics.byLabel("inboxpush_dynamodb_calls_total", "operation"))
        .containsExactly(Map.entry("GetItem", 236.0), Map.entry("UpdateItem", 200.0));
  }

  @Test
  void aLineThatIsNotASampleIsRefused() {
    assertThatThrownBy(() -> Prometheus.parse("this is { not a sample"))
        .hasMessageContaining("not a Prometheus sample line");
  }

  @Test
  void compileTimeComesFromHotSpotsTicks() {
    String counters = "java.ci.totalTime=2500000000\nsun.os.hrt.frequency=1000000000\n";

    assertThat(Watch.compileMillis(counters)).isEqualTo(2500.0);
    assertThatThrownBy(() -> Watch.compileMillis("java.ci.totalTime=1\n"))
        .hasMessageContaining("sun.os.hrt.frequency");
  }
}
