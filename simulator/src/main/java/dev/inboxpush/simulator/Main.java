package dev.inboxpush.simulator;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar simulator-<version>-exec.jar [options]}: the command line around {@link
 * Simulator}, against the local run's default URLs unless told otherwise. Prints progress and the
 * report to standard output; the exit code says whether anything was lost.
 */
@Command(
    name = "inbox-push-simulator",
    mixinStandardHelpOptions = true,
    version = "inbox-push simulator 0.1",
    sortOptions = false,
    description = {
      "Acts as many devices and Exchange servers against a running inbox-push (by default the"
          + " local run of ./inbox-push local): registers devices through the registration API with"
          + " tokens from the local OAuth2 server, binds EWS subscriptions, POSTs SendNotification"
          + " traffic to their callback URLs as Exchange does, then checks every device's last"
          + " badge at the local APNs/FCM against the counts it sent.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing lost: every device shows its badge",
      "1:something was lost (or the run could not be checked): see the report",
      "2:bad options",
      "3:the system could not be set up (sign-in, registration, the inspector)"
    })
public final class Main implements Callable<Integer> {

  @Option(
      names = "--registration-url",
      defaultValue = "http://127.0.0.1:8081",
      paramLabel = "URL",
      description = "The registration service (default: ${DEFAULT-VALUE})")
  private URI registrationUrl = URI.create("http://127.0.0.1:8081");

  @Option(
      names = "--issuer",
      defaultValue = "http://127.0.0.1:9000",
      paramLabel = "URL",
      description = "The local OAuth2 authorization server (default: ${DEFAULT-VALUE})")
  private URI issuer = URI.create("http://127.0.0.1:9000");

  @Option(
      names = "--inspector-url",
      defaultValue = "http://127.0.0.1:8090",
      paramLabel = "URL",
      description = "The local push server's inspector (default: ${DEFAULT-VALUE})")
  private URI inspector = URI.create("http://127.0.0.1:8090");

  @Option(
      names = "--failover-url",
      paramLabel = "URL",
      description =
          "Another region's listener, e.g. http://127.0.0.1:8182 (./inbox-push local"
              + " --three-regions): POSTs move there at --failover-after")
  private @Nullable URI failoverUrl;

  @Option(
      names = "--failover-after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "When to fail over, after traffic starts (default: half the duration)")
  private @Nullable Duration failoverAfter;

  @Option(
      names = "--devices",
      defaultValue = "50",
      description = "Devices to register (default: ${DEFAULT-VALUE})")
  private int devices = 50;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long traffic runs, e.g. 30s, 5m (default: ${DEFAULT-VALUE})")
  private Duration duration = Duration.ofSeconds(30);

  @Option(
      names = "--interval",
      defaultValue = "3s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Mean time between two changes of one mailbox (default: ${DEFAULT-VALUE})")
  private Duration interval = Duration.ofSeconds(3);

  @Option(
      names = "--status-frequency",
      defaultValue = "1",
      paramLabel = "MINUTES",
      description = "Each subscription's StatusFrequency, 1 to 1440 (default: ${DEFAULT-VALUE})")
  private int statusFrequency = 1;

  @Option(
      names = "--time-scale",
      defaultValue = "60",
      paramLabel = "N",
      description =
          "Run heartbeats and Exchange's retries (30 s, doubling) N times faster than Exchange;"
              + " 1 is real time (default: ${DEFAULT-VALUE})")
  private double timeScale = 60;

  @Option(
      names = "--multi-account-share",
      defaultValue = "0.3",
      description = "Share of devices with several accounts (default: ${DEFAULT-VALUE})")
  private double multiAccountShare = 0.3;

  @Option(
      names = "--max-accounts",
      defaultValue = "3",
      description = "Most accounts on one device, 2 to 10 (default: ${DEFAULT-VALUE})")
  private int maxAccounts = 3;

  @Option(
      names = "--fcm-share",
      defaultValue = "0.4",
      description = "Share of devices on FCM; the rest on APNs (default: ${DEFAULT-VALUE})")
  private double fcmShare = 0.4;

  @Option(
      names = "--missing-count-share",
      defaultValue = "0.1",
      description =
          "Share of POSTs without UnreadCount, as Exchange Online sends them (default:"
              + " ${DEFAULT-VALUE})")
  private double missingCountShare = 0.1;

  @Option(
      names = "--error-forms",
      defaultValue = "2",
      description =
          "Subscriptions that send the error form once, then subscribe again (default:"
              + " ${DEFAULT-VALUE})")
  private int errorForms = 2;

  @Option(
      names = "--dead-devices",
      defaultValue = "2",
      description =
          "Devices whose token is made dead mid-run; each of their subscriptions must be answered"
              + " Unsubscribe (default: ${DEFAULT-VALUE})")
  private int deadDevices = 2;

  @Option(
      names = "--post-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long Exchange waits for an answer (default: ${DEFAULT-VALUE})")
  private Duration postTimeout = Duration.ofSeconds(10);

  @Option(
      names = "--settle",
      defaultValue = "20s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long to wait for pushes after the traffic (default: ${DEFAULT-VALUE})")
  private Duration settle = Duration.ofSeconds(20);

  @Option(
      names = "--seed",
      defaultValue = "17",
      description = "The traffic's randomness (default: ${DEFAULT-VALUE})")
  private long seed = 17;

  @Option(
      names = "--parallel-accounts",
      description =
          "Let a device's accounts POST at the same time, as their Exchange servers do; only each"
              + " device's last badge is then checked (default: one POST at a time per device, every"
              + " push's sum checked)")
  private boolean parallelAccounts;

  private final PrintStream out;

  Main(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine command = new CommandLine(new Main(out));
    command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    command.setExecutionExceptionHandler(
        (exception, line, parsed) -> {
          if (exception instanceof IllegalArgumentException) {
            err.println("inbox-push-simulator: " + exception.getMessage());
            return 2;
          }
          if (exception instanceof IllegalStateException) {
            err.println("inbox-push-simulator: cannot set up the run: " + exception.getMessage());
            return 3;
          }
          throw exception;
        });
    return command.execute(args);
  }

  @Override
  public Integer call() {
    Duration failover = failoverAfter;
    if (failoverUrl != null && failover == null) {
      failover = duration.dividedBy(2);
    }
    if (failover != null && failoverUrl == null) {
      throw new IllegalArgumentException("--failover-after needs --failover-url");
    }
    Scenario scenario =
        Scenario.builder()
            .devices(devices)
            .duration(duration)
            .meanInterval(interval)
            .statusFrequencyMinutes(statusFrequency)
            .timeScale(timeScale)
            .multiAccountShare(multiAccountShare)
            .maxAccounts(maxAccounts)
            .fcmShare(fcmShare)
            .missingCountShare(missingCountShare)
            .errorForms(errorForms)
            .deadDevices(deadDevices)
            .failoverAfter(failover)
            .postTimeout(postTimeout)
            .settle(settle)
            .seed(seed)
            .parallelAccounts(parallelAccounts)
            .build();
    Targets defaults = Targets.localDefaults();
    Targets targets =
        new Targets(
            registrationUrl,
            issuer,
            inspector,
            failoverUrl,
            defaults.apnsTopic(),
            defaults.fcmProject());
    Report report = Simulator.run(scenario, targets, out);
    report.print(out);
    return report.passed() ? 0 : 1;
  }

  /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms} or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (text.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
          return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("m")) {
          return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("h")) {
          return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.parse(value.trim());
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "not a duration (e.g. 30s, 5m, 500ms): " + value);
      }
    }
  }
}
