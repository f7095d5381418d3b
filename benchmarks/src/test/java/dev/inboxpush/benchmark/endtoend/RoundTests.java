package dev.inboxpush.benchmark.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RoundTests {

  private static Watch.Snapshot snapshot(long listenerCpu, String metrics) {
    return new Watch.Snapshot(
        0,
        Map.of("listener", listenerCpu),
        Map.of("listener", 1000.0),
        Map.of("listener", Prometheus.parse(metrics)),
        0);
  }

  private static final Round ROUND =
      new Round(
          "apns-cold",
          1,
          new Traffic.Outcome(200, 0, 2.0, new Histogram(3), null),
          snapshot(
              1_000_000,
              """
              inboxpush_dynamodb_calls_total{operation="GetItem",outcome="ok"} 100.0
              cache_gets_total{cache="callback-tokens",result="hit"} 10.0
              cache_gets_total{cache="callback-tokens",result="miss"} 10.0
              """),
          snapshot(
              2_400_000,
              """
              inboxpush_dynamodb_calls_total{operation="GetItem",outcome="ok"} 700.0
              inboxpush_dynamodb_calls_total{operation="UpdateItem",outcome="ok"} 400.0
              cache_gets_total{cache="callback-tokens",result="hit"} 60.0
              cache_gets_total{cache="callback-tokens",result="miss"} 160.0
              """),
          200,
          200,
          0,
          "1.00 / 1.00 / 1.00");

  @Test
  void costsAreTheSnapshotsDifferencePerAnsweredRequest() {
    assertThat(ROUND.cpuPerRequest("listener")).isEqualTo(7000.0);
    assertThat(ROUND.cpuPerRequest("dynalite")).isNaN();
    assertThat(ROUND.compileMillis("listener")).isZero();
    assertThat(ROUND.callsPerRequest("listener"))
        .containsExactly(Map.entry("GetItem", 3.0), Map.entry("UpdateItem", 2.0));
    assertThat(ROUND.cacheHitShare("listener")).isCloseTo(0.25, within(1e-9));
    assertThat(ROUND.outcome().rate()).isEqualTo(100.0);
  }
}
