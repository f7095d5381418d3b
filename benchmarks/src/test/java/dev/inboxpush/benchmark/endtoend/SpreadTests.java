package dev.inboxpush.benchmark.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpreadTests {

  @Test
  void theMedianIsTheMiddleRoundAndTheRangeItsExtremes() {
    Spread rates = new Spread(new double[] {300, 100, 250});

    assertThat(rates.median()).isEqualTo(250);
    assertThat(rates.min()).isEqualTo(100);
    assertThat(rates.max()).isEqualTo(300);
    assertThat(rates.format("%,.0f")).isEqualTo("250 (100–300)");
    assertThat(rates.rounds("%.0f")).isEqualTo("300 / 100 / 250");
  }

  @Test
  void anEvenCountTakesTheMeanOfTheMiddleTwoAndOneRoundIsItsValueAlone() {
    assertThat(new Spread(new double[] {4, 1, 3, 2}).median()).isEqualTo(2.5);
    assertThat(new Spread(new double[] {1234.4}).format("%,.0f")).isEqualTo("1,234");
  }

  @Test
  void aFigureNeedsARound() {
    assertThatThrownBy(() -> new Spread(new double[0])).hasMessageContaining("at least one round");
  }
}
