package dev.inboxpush.testsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueCheckTests {

  private static final MetricsCatalogue CATALOGUE =
      MetricsCatalogue.parse(
          """
          # Metrics

          | Prometheus name | type | tags | unit | meaning |
          |---|---|---|---|---|
          | `not_catalogued_here` | gauge | none | | a table outside the service sections |

          ## Both services

          | Prometheus name | type | tags | unit | meaning |
          |---|---|---|---|---|
          | `jvm_threads_live_threads` | gauge | none | threads | live threads |

          ## Listener service

          ### The endpoint

          | Prometheus name | type | tags | unit | meaning |
          |---|---|---|---|---|
          | `inboxpush_listener_callbacks_total` | counter | **answer**: `ok`, `refused`; **reason**: `none` \\| why | POSTs | alert on `refused` |
          | `inboxpush_listener_answer_time_seconds` | histogram, with its `_max` gauge | **answer** | seconds | receipt to answer |
          | `jvm_gc_concurrent_phase_time_seconds` | summary, optional | **action**, **cause**, **gc** | seconds | only after a concurrent cycle |
          """
              .lines()
              .toList());

  private static final String SCRAPE =
      """
      # HELP inboxpush_listener_callbacks_total EWS POSTs
      # TYPE inboxpush_listener_callbacks_total counter
      inboxpush_listener_callbacks_total{answer="ok",reason="none",region="eu-west-1",service="listener"} 2.0
      inboxpush_listener_callbacks_total{answer="refused",reason="a \\"quoted\\", comma",region="eu-west-1",service="listener"} 0.0
      # TYPE inboxpush_listener_answer_time_seconds histogram
      inboxpush_listener_answer_time_seconds_bucket{answer="ok",region="eu-west-1",service="listener",le="0.001"} 0
      inboxpush_listener_answer_time_seconds_count{answer="ok",region="eu-west-1",service="listener"} 2
      inboxpush_listener_answer_time_seconds_sum{answer="ok",region="eu-west-1",service="listener"} 0.5
      # TYPE inboxpush_listener_answer_time_seconds_max gauge
      inboxpush_listener_answer_time_seconds_max{answer="ok",region="eu-west-1",service="listener"} 0.3
      # TYPE jvm_threads_live_threads gauge
      jvm_threads_live_threads{region="eu-west-1",service="listener"} 31.0
      """;

  @Test
  void rowsBelongToTheirSectionsServices() {
    assertThat(CATALOGUE.entries())
        .extracting(MetricsCatalogue.Entry::name)
        .doesNotContain("not_catalogued_here");
    assertThat(CATALOGUE.forService(MetricsCatalogue.REGISTRATION))
        .extracting(MetricsCatalogue.Entry::name)
        .containsExactly("jvm_threads_live_threads");
    assertThat(CATALOGUE.forService(MetricsCatalogue.LISTENER)).hasSize(4);
  }

  @Test
  void aRowNamesItsTypeTagsAndWhetherItCoversTheMaxGauge() {
    MetricsCatalogue.Entry callbacks = CATALOGUE.forService(MetricsCatalogue.LISTENER).get(1);
    MetricsCatalogue.Entry time = CATALOGUE.forService(MetricsCatalogue.LISTENER).get(2);

    assertThat(callbacks.type()).isEqualTo("counter");
    assertThat(callbacks.tags()).containsExactly("answer", "reason");
    assertThat(callbacks.coversMax()).isFalse();
    assertThat(time.families())
        .containsExactly(
            "inboxpush_listener_answer_time_seconds", "inboxpush_listener_answer_time_seconds_max");
    assertThat(CATALOGUE.forService(MetricsCatalogue.LISTENER).get(3).optional()).isTrue();
  }

  @Test
  void aScrapeAndItsCatalogueAgree() {
    assertThat(
            CatalogueCheck.problems(
                CATALOGUE, MetricsCatalogue.LISTENER, PrometheusScrape.parse(SCRAPE)))
        .isEmpty();
  }

  @Test
  void labelValuesWithQuotesAndCommasAreRead() {
    PrometheusScrape scrape = PrometheusScrape.parse(SCRAPE);

    assertThat(scrape.family("inboxpush_listener_callbacks_total").samples())
        .extracting(sample -> sample.labels().get("reason"))
        .containsExactly("none", "a \"quoted\", comma");
    assertThat(scrape.family("inboxpush_listener_answer_time_seconds").samples()).hasSize(3);
  }

  @Test
  void theFailureSaysWhatIsMissingWhere() {
    String scrape =
        SCRAPE.replace("jvm_threads_live_threads", "jvm_threads_peak_threads")
            + """
            # TYPE inboxpush_listener_pushes_total counter
            inboxpush_listener_pushes_total{platform="apns",region="eu-west-1",service="listener"} 1.0
            """;
    scrape = scrape.replace("answer=\"ok\",reason=\"none\",", "answer=\"ok\",");

    List<String> problems =
        CatalogueCheck.problems(
            CATALOGUE, MetricsCatalogue.LISTENER, PrometheusScrape.parse(scrape));

    assertThat(problems)
        .containsExactly(
            "published by the listener service but not in docs/metrics.md:",
            "  jvm_threads_peak_threads (gauge, labels [])",
            "  inboxpush_listener_pushes_total (counter, labels [platform])",
            "in docs/metrics.md for the listener service but not in its scrape:",
            "  jvm_threads_live_threads (docs/metrics.md:11)",
            "with other labels than catalogued:",
            "  inboxpush_listener_callbacks_total: a series has labels [answer, region, service],"
                + " the catalogue (docs/metrics.md:19) says [answer, reason, region, service]");
  }

  @Test
  void aTypeOtherThanCataloguedIsAProblem() {
    String scrape =
        SCRAPE.replace(
            "# TYPE jvm_threads_live_threads gauge", "# TYPE jvm_threads_live_threads counter");

    assertThat(
            CatalogueCheck.problems(
                CATALOGUE, MetricsCatalogue.REGISTRATION, PrometheusScrape.parse(scrape)))
        .contains(
            "  jvm_threads_live_threads: catalogued as gauge (docs/metrics.md:11), published as"
                + " counter");
  }

  @Test
  void aRowThatBreaksTheConventionsNamesItsLine() {
    assertThatThrownBy(
            () ->
                MetricsCatalogue.parse(
                    List.of(
                        "## Listener service",
                        "| Prometheus name | type | tags | unit | meaning |",
                        "|---|---|---|---|---|",
                        "| `x_total` | count | none | | |")))
        .hasMessage(
            "docs/metrics.md:4: the type must start with one of [counter, gauge, histogram,"
                + " summary]");
  }
}
