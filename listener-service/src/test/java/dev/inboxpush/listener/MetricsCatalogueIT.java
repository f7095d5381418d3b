package dev.inboxpush.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.answer.ListenerHarness;
import dev.inboxpush.listener.delivery.DeliveryMetrics;
import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.LaneReason;
import dev.inboxpush.listener.dispatch.apns.ApnsOutcomes;
import dev.inboxpush.listener.dispatch.fcm.FcmOutcomes;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.fcm.FakeFcmServer;
import dev.inboxpush.testsupport.metrics.CatalogueCheck;
import dev.inboxpush.testsupport.metrics.MetricsCatalogue;
import dev.inboxpush.testsupport.metrics.PrometheusScrape;
import dev.inboxpush.testsupport.tls.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * docs/metrics.md is the listener's metric catalogue: the real service, with one APNs app of each
 * kind of credentials (a .p8 key and a client certificate) against pushy's MockApnsServer and one
 * FCM project against the fake FCM server, publishes exactly the families catalogued for it, of the
 * catalogued types, and every series carries exactly the catalogued tags. A push to each platform
 * is made first, so that the meters created on first use exist. On failure the scrape is kept in
 * {@code target/metrics-scrape-listener.txt}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class MetricsCatalogueIT {

  private static final String TOPIC = "com.example.mail";
  private static final String CERTIFIED_TOPIC = "com.example.certified";
  private static final String PROJECT = "demo-project";
  private static final String INBOX = ListenerHarness.INBOX;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final MockApns APNS = MockApns.start();
  private static final MockApns.SigningKey KEY = APNS.newSigningKey("KEY0000001", TOPIC);
  private static final FakeFcmServer FCM = FakeFcmServer.builder().build().start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("metrics", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    APNS.listenerProperties(KEY, TOPIC).forEach((key, value) -> registry.add(key, () -> value));
    MockApns.ClientCertificate certificate =
        APNS.newClientCertificate(CERTIFIED_TOPIC, Duration.ofDays(90));
    registry.add("inboxpush.apns.apps[1].topic", () -> CERTIFIED_TOPIC);
    registry.add("inboxpush.apns.apps[1].environments", () -> "production");
    registry.add("inboxpush.apns.apps[1].certificate.file", () -> certificate.p12File().toString());
    registry.add("inboxpush.apns.apps[1].certificate.password", certificate::password);
    String account = FCM.newServiceAccount(PROJECT).file().toString();
    String trusted = TestPki.writeTemp(FCM.trustRoot().getCertificatePEM(), ".pem").toString();
    registry.add("inboxpush.fcm.projects[0].project-id", () -> PROJECT);
    registry.add("inboxpush.fcm.projects[0].credentials-file", () -> account);
    registry.add("inboxpush.fcm.base-url", FCM::baseUrl);
    registry.add("inboxpush.fcm.trusted-server-certificates", () -> trusted);
    registry.add("inboxpush.fcm.apps-per-project", () -> "1");
    registry.add("inboxpush.listener.answer.push-budget", () -> "5s");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @AfterAll
  static void stopPeers() {
    APNS.close();
    FCM.close();
  }

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;
  @Autowired DynamoStore store;

  @Test
  void everyPublishedFamilyIsCataloguedAndEveryCataloguedOneIsPublished() throws IOException {
    ListenerHarness harness = new ListenerHarness(http, store);
    String apnsToken = ListenerHarness.apnsToken();
    APNS.allow(TOPIC, apnsToken);
    Registration iphone = harness.register(apnsToken, ListenerHarness.binding("sub-1"));
    Registration android =
        harness.registerFcm(
            PROJECT,
            Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(96)),
            ListenerHarness.binding("sub-1"));
    assertThat(harness.post(iphone, newMail())).isEqualTo(SubscriptionStatus.OK);
    assertThat(harness.post(android, newMail())).isEqualTo(SubscriptionStatus.OK);
    assertThat(APNS.receivedFor(apnsToken)).singleElement().matches(MockApns.Received::accepted);

    String text = ManagementClient.scrape(managementPort);
    Path kept = Path.of("target/metrics-scrape-listener.txt");
    Files.createDirectories(kept.getParent());
    Files.writeString(kept, text);

    CatalogueCheck.assertAgree(
        MetricsCatalogue.read(Path.of("../docs/metrics.md")),
        MetricsCatalogue.LISTENER,
        PrometheusScrape.parse(text));
  }

  /**
   * The counters with bounded tags exist from start-up with every combination the code's tables
   * give, at 0 until counted: each configured app's documented provider outcomes and the lanes'
   * own, the delivery path's own, the parked and dropped badges, the valve per app.
   */
  @Test
  void everyBoundedCombinationIsCountedFromStartUp() {
    String text = ManagementClient.scrape(managementPort);
    PrometheusScrape scrape = PrometheusScrape.parse(text);
    assertThat(text)
        .contains(
            "inboxpush_listener_callbacks_total{answer=\"refused\",reason=\"source\","
                + "region=\"eu-west-1\",service=\"listener\"} 0.0")
        .contains(
            "inboxpush_dispatch_pushes_total{app=\"com.example.certified\","
                + "outcome=\"configuration_error\",platform=\"apns\",reason=\"bad_topic\","
                + "region=\"eu-west-1\",service=\"listener\"} 0.0");

    Set<List<String>> laneOwn =
        Set.of(
            List.of("accepted", LaneReason.NONE.tag()),
            List.of("retryable", LaneReason.SHUTTING_DOWN.tag()),
            List.of("retryable", LaneReason.CIRCUIT_OPEN.tag()),
            List.of("retryable", LaneReason.QUEUE_FULL.tag()),
            List.of("retryable", LaneReason.TRANSPORT.tag()),
            List.of("retryable", LaneReason.TIMEOUT.tag()),
            List.of("failed", LaneReason.DISPATCHER_ERROR.tag()),
            List.of("configuration_error", LaneReason.DEAD_TOKEN_VALVE.tag()));
    Set<List<String>> apns = union(pairs(ApnsOutcomes.documented()), laneOwn);
    Set<List<String>> fcm =
        union(
            pairs(FcmOutcomes.documented()),
            laneOwn,
            Set.of(
                List.of("configuration_error", LaneReason.CREDENTIALS_REFUSED.tag()),
                List.of("retryable", LaneReason.TIMEOUT.tag())));
    for (String app : List.of(TOPIC, CERTIFIED_TOPIC)) {
      assertThat(series(scrape, "inboxpush_dispatch_pushes_total", "app", app, "outcome", "reason"))
          .isEqualTo(apns);
    }
    assertThat(
            series(scrape, "inboxpush_dispatch_pushes_total", "app", PROJECT, "outcome", "reason"))
        .isEqualTo(fcm);
    assertThat(series(scrape, "inboxpush_dispatch_pushes_total", "app", "unconfigured", "platform"))
        .containsExactlyInAnyOrder(List.of("apns"), List.of("fcm"));

    Set<List<String>> deliveryOwn =
        Set.of(
            List.of("configuration_error", LaneReason.APP_NOT_CONFIGURED.tag()),
            List.of("retryable", LaneReason.NO_OUTCOME.tag()),
            List.of("retryable", LaneReason.TIMEOUT.tag()),
            List.of("retryable", LaneReason.DISPATCHER_ERROR.tag()));
    Set<List<String>> apnsPushes = union(apns, deliveryOwn);
    Set<List<String>> fcmPushes = union(fcm, deliveryOwn);
    assertThat(
            series(
                scrape, "inboxpush_listener_pushes_total", "platform", "apns", "outcome", "reason"))
        .isEqualTo(apnsPushes);
    assertThat(
            series(
                scrape, "inboxpush_listener_pushes_total", "platform", "fcm", "outcome", "reason"))
        .isEqualTo(fcmPushes);
    assertThat(
            series(
                scrape,
                "inboxpush_listener_pending_redelivered_total",
                null,
                null,
                "outcome",
                "reason"))
        .isEqualTo(union(apnsPushes, fcmPushes));
    assertThat(series(scrape, "inboxpush_listener_pending_written_total", null, null, "reason"))
        .containsExactlyInAnyOrder(
            List.of("retryable"),
            List.of("configuration_error"),
            List.of(LaneReason.THROTTLED.tag()));
    assertThat(series(scrape, "inboxpush_listener_pending_dropped_total", null, null, "reason"))
        .isEqualTo(
            Arrays.stream(DeliveryMetrics.DropReason.values())
                .map(reason -> List.of(reason.tag()))
                .collect(Collectors.toSet()));
    assertThat(
            series(
                scrape,
                "inboxpush_dispatch_dead_tokens_paused_total",
                null,
                null,
                "platform",
                "app"))
        .containsExactlyInAnyOrder(
            List.of("apns", TOPIC), List.of("apns", CERTIFIED_TOPIC), List.of("fcm", PROJECT));
    assertThat(series(scrape, "inboxpush_listener_answer_time_seconds_max", null, null, "answer"))
        .containsExactlyInAnyOrder(
            List.of("ok"),
            List.of("unsubscribe"),
            List.of("refused"),
            List.of("unavailable"),
            List.of("deferred"));
  }

  /** The (outcome, reason) tags of each outcome. */
  private static Set<List<String>> pairs(List<DispatchOutcome> outcomes) {
    return outcomes.stream()
        .map(outcome -> List.of(outcome.label(), outcome.reason()))
        .collect(Collectors.toSet());
  }

  @SafeVarargs
  private static Set<List<String>> union(Set<List<String>>... sets) {
    Set<List<String>> union = new HashSet<>();
    for (Set<List<String>> set : sets) {
      union.addAll(set);
    }
    return union;
  }

  /**
   * The values of {@code labels} of the family's series whose {@code label} is {@code value} (every
   * series when {@code label} is null).
   */
  private static Set<List<String>> series(
      PrometheusScrape scrape,
      String family,
      @Nullable String label,
      @Nullable String value,
      String... labels) {
    PrometheusScrape.Family found = scrape.family(family);
    assertThat(found).as(family).isNotNull();
    return found.samples().stream()
        .filter(sample -> label == null || value.equals(sample.labels().get(label)))
        .map(sample -> Arrays.stream(labels).map(sample.labels()::get).toList())
        .collect(Collectors.toSet());
  }

  private static byte[] newMail() {
    return EwsPayloads.notification("sub-1")
        .itemCreated("item-1", INBOX)
        .newMail("item-1", INBOX)
        .folderModified(INBOX, 3)
        .build();
  }

  private static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
