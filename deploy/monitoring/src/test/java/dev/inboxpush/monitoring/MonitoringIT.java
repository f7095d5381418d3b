package dev.inboxpush.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.local.stack.StackOptions;
import dev.inboxpush.local.stack.StackPorts;
import dev.inboxpush.model.Region;
import dev.inboxpush.testsupport.metrics.MetricsCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alerts and dashboards against the real thing: the local stack's three regions ({@link
 * LocalStack} on free ports) scraped by a real Prometheus running deploy/monitoring's own
 * prometheus.yml and rules (its targets file replaced by the stack's ports, the intervals shortened
 * to 1 s), after a little traffic in every region (registrations, SendNotification POSTs, pushes to
 * the local APNs and FCM, a refused POST). Then every rule's expression and every dashboard panel's
 * query, for each region, goes through {@link QueryCheck}: valid PromQL, every selector naming a
 * stored metric and matching series, and, for panels, data.
 */
@NeedsPrometheus
class MonitoringIT {

  /** Families the local stack cannot publish, each with why; docs/metrics.md catalogues them. */
  private static final Map<String, String> CANNOT_EXIST =
      Map.of(
          "inboxpush_apns_certificate_expires_in_seconds",
          "the local run's APNs app authenticates with a signing key, not a certificate");

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final Duration STACK_READY_WITHIN = Duration.ofMinutes(5);

  private static LocalStack stack;
  private static PrometheusServer prometheus;
  private static PrometheusApi api;
  private static QueryCheck check;

  @BeforeAll
  static void start() throws IOException {
    Path root = MonitoringFiles.repository();
    Path folder = MonitoringFiles.target().resolve("monitoring-it");
    Instant begin = Instant.now();
    StackOptions options =
        StackOptions.defaults(root)
            .withDataRoot(folder.resolve("stack"))
            .withFresh(true)
            .withRegions(List.of(Region.values()), true);
    // Six service JVMs at once: on a 2-core machine shared with other builds they have taken
    // over the default 3 minutes to be ready.
    stack =
        LocalStack.start(
            new StackOptions(
                options.artifacts(),
                options.dataRoot(),
                options.fresh(),
                options.regions(),
                options.ports(),
                STACK_READY_WITHIN));
    Path prometheusFolder = folder.resolve("prometheus");
    deleteTree(prometheusFolder);
    prometheus =
        PrometheusServer.start(
            configFor(stack.options().ports(), prometheusFolder.resolve("config")),
            prometheusFolder);
    api = new PrometheusApi(prometheus.url());
    System.out.println(
        "MonitoringIT: stack and Prometheus ready after "
            + Duration.between(begin, Instant.now()).toMillis()
            + " ms");

    StackTraffic traffic = new StackTraffic(stack);
    int seed = 0;
    for (Region region : Region.values()) {
      traffic.registerAndNotify(region, true, seed++);
      traffic.registerAndNotify(region, false, seed++);
      traffic.postMalformed(region);
    }
    awaitScraped(2 * 2 * Region.values().length);
    check = new QueryCheck(api, CANNOT_EXIST).refresh();
    System.out.println(
        "MonitoringIT: traffic scraped after "
            + Duration.between(begin, Instant.now()).toMillis()
            + " ms");
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyServiceOfEveryRegionIsScrapedAndEveryRuleIsLoadedAndHealthy() {
    JsonNode targets = api.targets().path("data").path("activeTargets");
    List<String> up = new ArrayList<>();
    targets.forEach(
        t ->
            up.add(
                t.path("labels").path("region").asString()
                    + "/"
                    + t.path("labels").path("service").asString()
                    + "/"
                    + t.path("health").asString()));
    List<String> expected = new ArrayList<>();
    for (Region region : Region.values()) {
      expected.add(region.code() + "/registration/up");
      expected.add(region.code() + "/listener/up");
    }
    assertThat(up).containsExactlyInAnyOrderElementsOf(expected);

    Set<String> loaded = new TreeSet<>();
    List<String> unhealthy = new ArrayList<>();
    for (JsonNode group : api.rules().path("data").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        loaded.add(rule.path("name").asString());
        if (!"ok".equals(rule.path("health").asString())) {
          unhealthy.add(rule.path("name").asString() + ": " + rule.path("lastError").asString());
        }
      }
    }
    assertThat(loaded)
        .containsExactlyInAnyOrderElementsOf(
            RuleFiles.rules().stream().map(RuleFiles.Rule::name).toList());
    assertThat(unhealthy).isEmpty();
  }

  @Test
  void everyRuleIsValidPromqlOverFamiliesThatExist() {
    List<String> problems = new ArrayList<>();
    for (RuleFiles.Rule rule : RuleFiles.rules()) {
      problems.addAll(check.problems("rule " + rule.name(), rule.expr(), false));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyDashboardPanelHasDataInEveryRegion() {
    List<Dashboards.PanelQuery> queries = Dashboards.panelQueries();
    assertThat(queries).hasSizeGreaterThan(30);
    List<String> problems = new ArrayList<>();
    for (Region region : Region.values()) {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("region", region.code());
      values.put("__rate_interval", "1m");
      values.put("__interval", "15s");
      values.put("__range", "5m");
      for (Dashboards.PanelQuery query : queries) {
        problems.addAll(
            check.problems(
                query.what() + " in " + region.code(),
                Dashboards.substitute(query.expr(), values),
                true));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyDashboardVariableOffersTheThreeRegions() {
    for (Dashboards.Variable variable : Dashboards.variables()) {
      String query = "count by (" + variable.label() + ") (" + variable.metric() + ")";
      JsonNode answer = api.query(query);
      assertThat(PrometheusApi.success(answer)).as(query + ": " + answer).isTrue();
      List<String> values = new ArrayList<>();
      answer
          .path("data")
          .path("result")
          .forEach(r -> values.add(r.path("metric").path(variable.label()).asString()));
      assertThat(values)
          .as(variable.dashboard() + " $" + variable.name())
          .containsExactlyInAnyOrder(
              Region.US_EAST_1.code(), Region.EU_WEST_1.code(), Region.AP_SOUTHEAST_1.code());
    }
  }

  @Test
  void theCheckFailsOnAMissingFamilyAMisspeltLabelValueInvalidPromqlAndNoData() {
    assertThat(check.problems("t", "sum(rate(inboxpush_no_such_family_total[5m]))", false))
        .singleElement()
        .asString()
        .contains("names inboxpush_no_such_family_total, which Prometheus neither scraped");
    assertThat(
            check.problems(
                "t", "inboxpush_listener_callbacks_total{answer=\"unavaliable\"} > 0", false))
        .singleElement()
        .asString()
        .contains("no series matches inboxpush_listener_callbacks_total{answer=\"unavaliable\"}");
    assertThat(check.problems("t", "sum(rate(inboxpush_listener_callbacks_total[5m])", false))
        .singleElement()
        .asString()
        .contains("not valid PromQL");
    assertThat(check.problems("t", "inboxpush_listener_pending_due > 1e9", true))
        .singleElement()
        .asString()
        .contains("returns no data");
    assertThat(check.problems("t", "inboxpush_listener_pending_due > 1e9", false)).isEmpty();
  }

  @Test
  void whatTheStackCannotPublishIsCataloguedAndIndeedAbsent() {
    MetricsCatalogue catalogue =
        MetricsCatalogue.read(MonitoringFiles.repository().resolve("docs/metrics.md"));
    for (String family : CANNOT_EXIST.keySet()) {
      assertThat(catalogue.forService(MetricsCatalogue.LISTENER))
          .as(family + " in docs/metrics.md")
          .anySatisfy(entry -> assertThat(entry.name()).isEqualTo(family));
      // Were it scraped, the exemption would hide nothing and should go.
      assertThat(check.names()).as(CANNOT_EXIST.get(family)).doesNotContain(family);
    }
  }

  /**
   * deploy/monitoring/prometheus copied under {@code folder}: prometheus.yml with 1 s intervals,
   * the rules as they are, and a targets file for the stack's management ports.
   */
  private static Path configFor(StackPorts ports, Path folder) throws IOException {
    Path source = MonitoringFiles.prometheus();
    Files.createDirectories(folder.resolve("rules"));
    Files.createDirectories(folder.resolve("targets"));
    for (Path rules : RuleFiles.yamlFiles(source.resolve("rules"))) {
      Files.copy(rules, folder.resolve("rules").resolve(rules.getFileName()));
    }
    String config = Files.readString(source.resolve("prometheus.yml"));
    for (String[] change :
        new String[][] {
          {"scrape_interval: 15s", "scrape_interval: 1s"},
          {"scrape_timeout: 10s", "scrape_timeout: 1s"},
          {"evaluation_interval: 15s", "evaluation_interval: 1s"}
        }) {
      assertThat(config).as("prometheus.yml").containsOnlyOnce(change[0]);
      config = config.replace(change[0], change[1]);
    }
    Path file = folder.resolve("prometheus.yml");
    Files.writeString(file, config);
    List<Map<String, Object>> groups = new ArrayList<>();
    ports
        .regions()
        .forEach(
            (region, p) -> {
              groups.add(group(p.registrationManagement(), "registration", region));
              groups.add(group(p.listenerManagement(), "listener", region));
            });
    Files.writeString(
        folder.resolve("targets/stack.json"),
        JsonMapper.builder().build().writeValueAsString(groups));
    return file;
  }

  private static Map<String, Object> group(int port, String service, Region region) {
    return Map.of(
        "targets",
        List.of("127.0.0.1:" + port),
        "labels",
        Map.of("service", service, "region", region.code()));
  }

  /** Waits until every target is up and the listeners' OK answers to the POSTs are scraped. */
  private static void awaitScraped(int okPosts) {
    Instant deadline = Instant.now().plus(SETTLE);
    String scraped =
        "sum(inboxpush_listener_callbacks_total{answer=\"ok\"}) >= "
            + okPosts
            + " and on () count(up{job=\"inbox-push\"} == 1) == "
            + 2 * Region.values().length;
    while (Instant.now().isBefore(deadline)) {
      if (!api.query(scraped).path("data").path("result").isEmpty()) {
        // Two more rounds of scrapes and rule evaluations, so that rates see the traffic.
        PrometheusServer.sleep(Duration.ofSeconds(3));
        return;
      }
      PrometheusServer.sleep(Duration.ofMillis(500));
    }
    throw new AssertionError(
        "Prometheus did not scrape the traffic within " + SETTLE + ": " + prometheus.logTail());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
