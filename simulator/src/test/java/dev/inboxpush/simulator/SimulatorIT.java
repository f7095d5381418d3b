package dev.inboxpush.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.local.stack.StackOptions;
import dev.inboxpush.model.Region;
import dev.inboxpush.simulator.check.BadgeCheck;
import dev.inboxpush.simulator.check.DeviceExpectation;
import dev.inboxpush.simulator.check.ReceivedPush;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.Replicator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator against the whole system ({@link LocalStack} on free ports) in three regions, each
 * region's services on its own table replica (a dynalite of its own), test-support's {@link
 * Replicator} copying every write between the three after {@link #LAG}, last writer wins per item,
 * as the Global Table replicates; the listeners wait a {@link #REPLICATION_ALLOWANCE} longer than
 * the lag and shorter than the scaled retry schedule. 60 devices, some with several accounts, 40 s
 * of traffic with every kind of POST, two tokens made dead, two error forms, and a failover of
 * every POST from us-east-1's listener to eu-west-1's half-way, as a DNS failover moves Exchange's
 * traffic. Nothing may be lost and no live subscription answered {@code Unsubscribe}; the report's
 * counts must be those of such a run; and the same check, given the run's real pushes with one
 * device's last badge taken away, must report it lost.
 */
class SimulatorIT {

  static final Duration LAG = Duration.ofSeconds(2);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The services' default table name ({@code StoreSettings}): the local run sets none. */
  static final String TABLE = "inboxpush";

  /**
   * The table's keys and the registration item's sort key ({@code store}'s {@code TableLayout}).
   */
  static final String PK = "pk";

  static final String SK = "sk";
  static final String SK_REGISTRATION = "REGISTRATION";

  static final Duration REPLICATION_ALLOWANCE = Duration.ofSeconds(5);
  static final List<Region> REGIONS = List.of(Region.values());

  private static final Map<Region, Dynalite> replicas = new EnumMap<>(Region.class);
  private static Replicator replicator;
  private static LocalStack stack;
  private static Report report;
  private static String printed;

  @BeforeAll
  static void run() {
    Path root = Checkout.root();
    Map<Region, URI> endpoints = new EnumMap<>(Region.class);
    for (Region region : REGIONS) {
      replicas.put(region, Dynalite.start());
      endpoints.put(region, replicas.get(region).endpoint());
    }
    stack =
        LocalStack.start(
            StackOptions.defaults(root)
                .withDataRoot(root.resolve("simulator/target/simulator-it-stack"))
                .withFresh(true)
                .withRegions(REGIONS, true)
                .withTableEndpoints(endpoints)
                .withOverrides(
                    "listener",
                    new StackOptions.PartOverrides(
                        List.of(),
                        Map.of(
                            "INBOXPUSH_LISTENER_ANSWER_REPLICATIONALLOWANCE",
                            REPLICATION_ALLOWANCE.toSeconds() + "s"))));
    // Every region's services created their replica of the table; from now on they replicate.
    replicator =
        Replicator.start(
            TABLE,
            PK,
            SK,
            REGIONS.stream().map(region -> replicas.get(region).sharedClient()).toList(),
            LAG,
            Duration.ofMillis(200));
    Scenario scenario =
        Scenario.builder()
            .devices(60)
            .duration(Duration.ofSeconds(40))
            .meanInterval(Duration.ofSeconds(3))
            .statusFrequencyMinutes(1)
            .timeScale(5)
            .multiAccountShare(0.3)
            .maxAccounts(3)
            .fcmShare(0.4)
            .missingCountShare(0.1)
            .errorForms(2)
            .deadDevices(2)
            .failoverAfter(Duration.ofSeconds(20))
            .settle(Duration.ofSeconds(20))
            .seed(20261201)
            .build();
    Targets targets =
        new Targets(
            stack.registrationUrl(Region.US_EAST_1),
            stack.issuer(),
            stack.inspectorUrl(),
            stack.listenerUrl(Region.EU_WEST_1),
            LocalStack.APNS_TOPIC,
            LocalStack.FCM_PROJECT);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    report = Simulator.run(scenario, targets, out);
    report.print(out);
    printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (replicator != null) {
      replicator.close();
    }
    replicas.values().forEach(Dynalite::close);
  }

  @Test
  void everyRegionsReplicaEndsWithTheSameRegistrationsOnePerAccount() {
    replicator.awaitQuiet(Duration.ofSeconds(60));
    Map<String, String> inUsEast = registrations(Region.US_EAST_1);
    // Every account's registration, but those of the dead tokens (deleted): at most 3 accounts
    // each.
    assertThat(inUsEast).hasSizeBetween(report.accounts() - 2 * 3, report.accounts());
    // One registration per device and owner: no account registered twice.
    assertThat(new HashSet<>(inUsEast.values())).hasSameSizeAs(inUsEast.values());
    for (Region region : REGIONS) {
      assertThat(registrations(region)).as(region.code()).isEqualTo(inUsEast);
    }
    assertThat(replicator.replicated()).isPositive();
  }

  /** The registration items of a region's replica: key to device token and owner. */
  private static Map<String, String> registrations(Region region) {
    Map<String, String> keys = new java.util.HashMap<>();
    replicas
        .get(region)
        .sharedClient()
        .scanPaginator(ScanRequest.builder().tableName(TABLE).consistentRead(true).build())
        .items()
        .subscribe(
            item -> {
              if (SK_REGISTRATION.equals(item.get(SK).s())) {
                keys.put(
                    item.get(PK).s(),
                    item.get("deviceToken").s() + " " + item.get("ownerHash").s());
              }
            })
        .join();
    return keys;
  }

  /**
   * Every log line of every process of the run (both services in three regions, the authorization
   * server, the push servers) holds none of what the run handed them, nor any key the stack
   * generated: device tokens, callback tokens, SubscriptionIds, bearer tokens; the authorization
   * server's signing key, the APNs signing key, the FCM service account's private key, the
   * owner-hash key and the script client's secret.
   */
  @Test
  void noLogLineShowsATokenASubscriptionIdOrAKey() throws Exception {
    Path data = stack.options().dataRoot();
    java.util.Set<String> secrets = new HashSet<>(report.secrets());
    JsonNode signingKey = JSON.readTree(Files.readString(data.resolve("auth/signing-key.jwk")));
    for (String part : List.of("d", "p", "q", "dp", "dq", "qi")) {
      if (signingKey.has(part)) {
        secrets.add(signingKey.get(part).asString());
      }
    }
    secrets.add(pemBody(Files.readString(data.resolve("push/apns-signing-key.p8"))));
    secrets.add(
        pemBody(
            JSON.readTree(
                    Files.readString(
                        data.resolve(
                            "push/fcm-service-account-" + LocalStack.FCM_PROJECT + ".json")))
                .get("private_key")
                .asString()));
    secrets.add(Files.readString(data.resolve("registration/owner-hash-key")).trim());
    secrets.add(Files.readString(stack.scriptClientSecretFile()).trim());
    assertThat(report.secrets()).hasSizeGreaterThan(3 * report.devices());

    long lines = 0;
    List<String> leaks = new ArrayList<>();
    for (LocalStack.Part part : stack.parts()) {
      for (String line : Files.readAllLines(part.log())) {
        lines++;
        for (String secret : secrets) {
          // A long secret is checked by its last 40 characters: a key's or a JWT's first ones
          // are a fixed prefix (an ASN.1 header, the JWT header) that says nothing secret.
          String probe = secret.length() > 40 ? secret.substring(secret.length() - 40) : secret;
          if (line.contains(probe)) {
            leaks.add(part.name() + ": " + line.replace(probe, "<" + probe.length() + " chars>"));
          }
        }
      }
    }
    System.out.printf(
        "log hygiene: %d log lines of %d processes searched for %d secrets%n",
        lines, stack.parts().size(), secrets.size());
    assertThat(lines).isGreaterThan(100);
    assertThat(leaks).isEmpty();
  }

  /** A PEM's base64 body, on one line. */
  private static String pemBody(String pem) {
    return pem.lines().filter(line -> !line.startsWith("-----")).collect(Collectors.joining());
  }

  @Test
  void nothingIsLost() {
    assertThat(report.failures()).as(printed).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(printed).contains("PASSED: nothing lost");
  }

  @Test
  void theCountsAreThoseOfTheScenario() {
    assertThat(report.devices()).isEqualTo(60);
    assertThat(report.multiAccountDevices()).isBetween(8, 30);
    assertThat(report.accounts())
        .isGreaterThan(report.devices() + report.multiAccountDevices() - 1);
    assertThat(report.failedOver()).isTrue();
    // About 80 accounts, a change every 3 s each, plus heartbeats: several hundred POSTs.
    assertThat(report.count("posts")).as(printed).isGreaterThan(500);
    for (String kind :
        List.of(
            "new-mail",
            "read",
            "unread",
            "move",
            "child-folder",
            "delete",
            "more-events",
            "heartbeat",
            "error-form")) {
      assertThat(report.count("posts." + kind)).as(kind + "\n" + printed).isPositive();
    }
    assertThat(report.count("answered.ok"))
        .isEqualTo(
            report.count("posts") - report.count("answered.unsubscribe") - report.count("retries"));
    assertThat(report.count("dead.tokens")).isEqualTo(2);
    assertThat(report.count("dead.unsubscribed")).isGreaterThanOrEqualTo(2);
    assertThat(report.count("resubscribed")).isEqualTo(2);
    assertThat(report.count("expected.badges")).isGreaterThan(300);
    assertThat(report.count("expected.wakes")).isPositive();

    BadgeCheck.Result check = report.check();
    assertThat(check.devices()).isGreaterThanOrEqualTo(55);
    assertThat(check.correct()).isEqualTo(check.devices());
    assertThat(check.excluded()).isEqualTo(2);
    // Nearly every badge a POST asked for arrived itself (a push over its budget is parked, and a
    // newer one may replace it before it is redelivered), and each once.
    assertThat(check.superseded()).isLessThanOrEqualTo(report.count("expected.badges") / 50);
    assertThat(check.badges())
        .isEqualTo(report.count("expected.badges") - check.superseded() + check.duplicated());
    assertThat(check.rejected()).isGreaterThanOrEqualTo(1);
    assertThat(check.wakes()).isPositive();
    assertThat(report.missedPushes()).isZero();
  }

  @Test
  void theFailoverMovedExchangesTrafficToTheOtherRegionsListener() {
    double first = callbacks(Region.US_EAST_1);
    double second = callbacks(Region.EU_WEST_1);
    // Half the traffic each, roughly; every POST was answered by one of the two.
    assertThat(first).as(printed).isGreaterThan(report.count("posts") * 0.3);
    assertThat(second).as(printed).isGreaterThan(report.count("posts") * 0.3);
    assertThat(first + second).isGreaterThanOrEqualTo(report.count("posts"));
  }

  /** The listener's answered callbacks, from its Prometheus scrape. */
  private static double callbacks(Region region) {
    URI scrape = stack.listenerManagementUrl(region).resolve("/actuator/prometheus");
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(scrape).timeout(Duration.ofSeconds(10)).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response
          .body()
          .lines()
          .filter(line -> line.startsWith("inboxpush_listener_callbacks_total{"))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void theSameCheckReportsALossWhenADevicesLastBadgeIsTakenAway() {
    DeviceExpectation victim =
        report.expected().stream()
            .filter(device -> device.excluded() == null && !device.badges().isEmpty())
            .findFirst()
            .orElseThrow();
    List<ReceivedPush> pushes = new ArrayList<>(report.received());
    ReceivedPush last =
        pushes.stream()
            .filter(p -> p.token().equals(victim.token()) && p.accepted() && p.badge() != null)
            .reduce((first, second) -> second)
            .orElseThrow();
    // Every push of the device's final value, so that it is not found elsewhere.
    pushes.removeIf(p -> p.token().equals(victim.token()) && last.badge().equals(p.badge()));

    BadgeCheck.Result check = BadgeCheck.check(report.expected(), pushes);

    assertThat(check.lost() + check.wrong()).isEqualTo(1);
    assertThat(check.passed()).isFalse();
    assertThat(check.problems())
        .singleElement()
        .asString()
        .contains(victim.token().substring(0, 6));
  }

  @Test
  void theCommandRunsAShortScenarioAgainstTheSameStackAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {
              "--registration-url", stack.registrationUrl(Region.US_EAST_1).toString(),
              "--issuer", stack.issuer().toString(),
              "--inspector-url", stack.inspectorUrl().toString(),
              "--failover-url", stack.listenerUrl(Region.EU_WEST_1).toString(),
              "--devices", "6",
              "--duration", "6s",
              "--interval", "1s",
              "--dead-devices", "1",
              "--error-forms", "1",
              "--settle", "15s",
              // Retries within 18 s: more than the listeners' replication allowance, so that a
              // dead token's subscription is told Unsubscribe before Exchange would give up.
              "--time-scale", "5"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(printed)
        .contains("devices 6", "failed over mid-run", "dead tokens 1", "PASSED: nothing lost");
  }

  @Test
  void theReportShowsNoWholeDeviceToken() {
    for (DeviceExpectation device : report.expected()) {
      assertThat(printed).doesNotContain(device.token());
    }
  }
}
