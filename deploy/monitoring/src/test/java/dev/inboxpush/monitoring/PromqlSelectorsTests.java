package dev.inboxpush.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromqlSelectorsTests {

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      textBlock =
          """
                    up => up
                    up{job="inbox-push"} == 0 => up{job="inbox-push"}
                    sum by (region) (rate(a_total{x=~"a|b"}[5m])) / sum by (region) (rate(b_total[5m])) > 0.05 => a_total{x=~"a|b"} ; b_total
                    1 - (sum without (le) (rate(h_bucket{le="2.0"}[1h])) / sum(rate(h_count[1h]))) > (14.4 * 0.001) => h_bucket{le="2.0"} ; h_count
                    x > 0 and on () sum(rate(y[15m])) > 0 => x ; y
                    a / on (region) group_left (app) b => a ; b
                    a / on (region) group_left b => a ; b
                    histogram_quantile(0.99, sum by (le) (rate(h_bucket[$__rate_interval]))) => h_bucket
                    label_replace(up, "dst", "$1", "src", "(.*)") => up
                    count_values("version", build_info) => build_info
                    topk(5, m offset 1h) or vector(0) => m
                    max_over_time(m[1h:5m]) @ end() => m
                    {__name__="m", a="}"} => {__name__="m", a="}"}
                    inboxpush:ews_answer_errors:ratio_rate5m > 1e-3 => inboxpush:ews_answer_errors:ratio_rate5m
                    time() - process_start_time_seconds => process_start_time_seconds
                    a > bool Inf => a
          """)
  void findsEverySelectorAndNothingElse(String expr, String expected) {
    assertThat(PromqlSelectors.of(expr))
        .extracting(PromqlSelectors.Selector::text)
        .containsExactly(expected.split(" ; "));
  }

  @Test
  void aNameWithoutMatchersHasNone() {
    assertThat(PromqlSelectors.of("rate(m_total[5m])"))
        .containsExactly(new PromqlSelectors.Selector("m_total", ""));
  }

  @Test
  void anUnclosedBraceOrStringIsAnError() {
    assertThatIllegalArgumentException().isThrownBy(() -> PromqlSelectors.of("m{a=\"b\""));
    assertThatIllegalArgumentException().isThrownBy(() -> PromqlSelectors.of("m{a=\"b}"));
  }
}
