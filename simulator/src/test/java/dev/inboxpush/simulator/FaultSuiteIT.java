package dev.inboxpush.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.local.stack.StackOptions;
import dev.inboxpush.model.Region;
import dev.inboxpush.simulator.check.BadgeCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault suite: the simulator's traffic through the whole system (three regions' services over
 * one dynalite, kept on disk, standing in for one table; the local APNs and FCM) while faults are
 * injected one after another, each once:
 *
 * <ol>
 *   <li>APNs and FCM answering 503, then 429, then 500, to a share of pushes, in bursts;
 *   <li>APNs and FCM answering slower than the listeners' push budget;
 *   <li>APNs refusing the provider token ({@code ExpiredProviderToken}) for a while, FCM revoking
 *       every access token it issued;
 *   <li>dynalite killed (SIGKILL) and started again on its data;
 *   <li>us-east-1's listener killed (SIGKILL) while eu-west-1's serves its traffic, then started
 *       again and given the traffic back;
 *   <li>us-east-1's listener stopped (SIGTERM) while the traffic moves to ap-southeast-1's, as a
 *       DNS failover would.
 * </ol>
 *
 * Then the invariant, checked against what the local APNs and FCM received: every device's last
 * badge is its last count Exchange delivered with an {@code OK} (the simulator's check: nothing
 * lost, nothing wrong), every POST not answered {@code OK} was retried until it was, no live
 * subscription was answered {@code Unsubscribe}, every dead token was unsubscribed. The counts are
 * printed. Connection resets by the providers are not injected yet (docs/reliability.md).
 *
 * <p>Scale: {@code -Dfaults.devices=N} and {@code -Dfaults.seconds=S} (defaults 60 and 100: about
 * 3,000 POSTs in under 6 minutes); the fault times scale with the traffic's length.
 */
class FaultSuiteIT {

  static final int DEVICES = Integer.getInteger("faults.devices", 60);
  static final Duration TRAFFIC = Duration.ofSeconds(Long.getLong("faults.seconds", 100));

  private static LocalStack stack;
  private static Report report;
  private static String printed;
  private static final List<String> timeline = new ArrayList<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void run() throws Exception {
    Path root = Checkout.root();
    stack =
        LocalStack.start(
            StackOptions.defaults(root)
                .withDataRoot(root.resolve("simulator/target/fault-suite-stack"))
                .withFresh(true)
                .withRegions(List.of(Region.values()), true)
                .withOverrides(
                    "listener",
                    new StackOptions.PartOverrides(
                        List.of(),
                        Map.of(
                            // One table: nothing replicates, an absence is final at once.
                            "INBOXPUSH_LISTENER_ANSWER_REPLICATIONALLOWANCE",
                            "0s",
                            // Redelivery's backoff scaled down with the traffic (5 min in
                            // production), so that a badge parked by a fault is redelivered within
                            // the run's settle time.
                            "INBOXPUSH_LISTENER_OUTBOX_MAXBACKOFF",
                            "20s"))));
    Scenario scenario =
        Scenario.builder()
            .devices(DEVICES)
            .duration(TRAFFIC)
            .meanInterval(Duration.ofSeconds(2))
            .statusFrequencyMinutes(2)
            .timeScale(5)
            .multiAccountShare(0.3)
            .maxAccounts(3)
            .fcmShare(0.4)
            .missingCountShare(0.1)
            .errorForms(2)
            .deadDevices(2)
            .settle(Duration.ofSeconds(60))
            .seed(20261202)
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
    Simulator.Running running = Simulator.start(scenario, targets, out);
    while (running.counts().getOrDefault("posts", 0L) == 0 && !running.isDone()) {
      Thread.sleep(100);
    }
    Instant begin = Instant.now();
    injectFaults(running, begin);
    report = running.report();
    report.print(out);
    printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(String.join("\n", timeline));
    System.out.println(printed);
  }

  /** The faults, at fractions of the traffic's length; each ends before the next begins. */
  private static void injectFaults(Simulator.Running running, Instant begin) throws Exception {
    at(begin, 0.05, "APNs and FCM: 503 to 30% of pushes");
    fault("apns", 503, 0.3, 0);
    fault("fcm", 503, 0.3, 0);
    at(begin, 0.10, "APNs and FCM: 429 to 30%");
    fault("apns", 429, 0.3, 0);
    fault("fcm", 429, 0.3, 0);
    at(begin, 0.15, "APNs and FCM: 500 to 20%");
    fault("apns", 500, 0.2, 0);
    fault("fcm", 500, 0.2, 0);
    at(begin, 0.20, "APNs and FCM: 10% of pushes answered after 3 s (past the 2 s push budget)");
    fault("apns", 0, 0.1, 3000);
    fault("fcm", 0, 0, 3000);
    at(begin, 0.25, "APNs refuses the provider token for 50% of pushes; FCM revokes its tokens");
    clear("fcm");
    fault("apns", 403, 0.5, 0);
    fault("fcm", 401, 1, 0);
    at(begin, 0.30, "providers well again");
    clear("apns");
    clear("fcm");
    at(begin, 0.35, "dynalite killed (SIGKILL)");
    stack.kill("dynalite");
    at(begin, 0.38, "dynalite started again on its data");
    stack.restart("dynalite");
    at(begin, 0.45, "listener us-east-1 killed (SIGKILL); traffic to eu-west-1");
    stack.kill("listener us-east-1");
    running.failOverTo(stack.listenerUrl(Region.EU_WEST_1));
    stack.restart("listener us-east-1");
    at(begin, 0.55, "listener us-east-1 back; traffic to it again");
    running.failOverTo(stack.listenerUrl(Region.US_EAST_1));
    at(begin, 0.65, "listener us-east-1 stopped (SIGTERM); traffic to ap-southeast-1");
    running.failOverTo(stack.listenerUrl(Region.AP_SOUTHEAST_1));
    stack.stop("listener us-east-1");
    timeline.add(String.format("%6.1f s  faults done", seconds(begin)));
  }

  private static void at(Instant begin, double fraction, String what) throws InterruptedException {
    Instant when = begin.plusMillis((long) (TRAFFIC.toMillis() * fraction));
    Duration wait = Duration.between(Instant.now(), when);
    if (!wait.isNegative()) {
      Thread.sleep(wait.toMillis());
    }
    timeline.add(String.format("%6.1f s  %s", seconds(begin), what));
  }

  private static double seconds(Instant begin) {
    return Duration.between(begin, Instant.now()).toMillis() / 1000.0;
  }

  private static void fault(String platform, int status, double share, long delayMs)
      throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(
                stack
                    .inspectorUrl()
                    .resolve(
                        "/api/faults/"
                            + platform
                            + "?status="
                            + status
                            + "&share="
                            + share
                            + "&delayMs="
                            + delayMs))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static void clear(String platform) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(stack.inspectorUrl().resolve("/api/faults/" + platform))
            .DELETE()
            .build());
  }

  private static void send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          request.uri() + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void nothingIsLostThroughEveryFault() {
    BadgeCheck.Result check = report.check();
    System.out.printf(
        "fault suite: %d POSTs, %d retried, answered ok %d, unsubscribe %d; pushes received %d,"
            + " duplicated %d; devices checked %d, lost %d, wrong %d%n",
        report.count("posts"),
        report.count("retries"),
        report.count("answered.ok"),
        report.count("answered.unsubscribe"),
        check.pushes(),
        check.duplicated(),
        check.devices(),
        check.lost(),
        check.wrong());
    assertThat(report.failures()).as(printed).isEmpty();
    assertThat(check.lost()).isZero();
    assertThat(check.wrong()).isZero();
    assertThat(report.count("unsubscribe.unexpected")).as(printed).isZero();
    assertThat(report.count("dead.not-unsubscribed")).as(printed).isZero();
    assertThat(report.count("dead.unsubscribed")).isGreaterThanOrEqualTo(2);
    assertThat(report.count("posts")).as(printed).isGreaterThanOrEqualTo(2_000);
    // The faults happened: POSTs were answered other than OK and retried.
    assertThat(report.count("retries")).as(printed).isPositive();
    assertThat(check.devices()).isGreaterThanOrEqualTo(DEVICES - 5);
  }
}
