package dev.inboxpush.doctor;

import dev.inboxpush.doctor.DoctorOptions.TestMessage;
import dev.inboxpush.doctor.ews.EwsCredentials;
import dev.inboxpush.doctor.ews.JavaApiEws;
import dev.inboxpush.doctor.ews.TlsCheck;
import dev.inboxpush.doctor.registration.RegistrationApi;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar doctor-<version>-exec.jar --ews-url ... --registration-url ... --app-id ...}:
 * the command line around {@link Doctor}. Options come from arguments; the EWS credentials and the
 * registration API's token only from the environment ({@value #EWS_USER} with {@value
 * #EWS_PASSWORD}, or {@value #EWS_TOKEN}; {@value #REGISTRATION_TOKEN}) or, when a terminal is
 * attached, a prompt that does not echo secrets. An argument that looks like a credential is
 * refused without being repeated. The report goes to standard output; the exit code is the {@link
 * Outcome}'s.
 */
@Command(
    name = "inbox-push-doctor",
    mixinStandardHelpOptions = true,
    version = "inbox-push doctor 0.1",
    sortOptions = false,
    description = {
      "Can this mailbox's Exchange server reach the inbox-push listener? Creates a throw-away"
          + " registration and a real EWS push subscription for it, waits for Exchange's"
          + " notification, cleans up and prints a report with an exit code per outcome.",
      "",
      "Credentials, from the environment (or a prompt when a terminal is attached), never from an"
          + " argument: "
          + Main.EWS_USER
          + " and "
          + Main.EWS_PASSWORD
          + " (Basic), or "
          + Main.EWS_TOKEN
          + " (an OAuth2 access token for EWS); "
          + Main.REGISTRATION_TOKEN
          + " (an access token for the registration API).",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:push works: Exchange reached the listener for this mailbox",
      "1:the doctor itself failed",
      "2:bad or missing input",
      "3:the EWS endpoint is unreachable",
      "4:the EWS server's TLS certificate was rejected",
      "5:EWS did not answer in time",
      "6:Exchange refused the credentials",
      "7:EWS is switched off for this mailbox or tenant",
      "8:Exchange answered with an EWS error",
      "9:the registration service failed",
      "10:Exchange cannot reach the listener",
      "11:the listener answered Unsubscribe",
      "12:no notification for the test message"
    })
public final class Main implements Callable<Integer> {

  static final String EWS_USER = "INBOXPUSH_DOCTOR_EWS_USER";
  static final String EWS_PASSWORD = "INBOXPUSH_DOCTOR_EWS_PASSWORD";
  static final String EWS_TOKEN = "INBOXPUSH_DOCTOR_EWS_TOKEN";
  static final String REGISTRATION_TOKEN = "INBOXPUSH_DOCTOR_REGISTRATION_TOKEN";

  /** Reads what the user types; the real one is the terminal ({@link Console}). */
  interface Prompt {
    /** A line typed with echo, or null without a terminal or at end of input. */
    @Nullable String line(String prompt);

    /** A secret typed without echo, or null without a terminal or at end of input. */
    char @Nullable [] secret(String prompt);
  }

  @Option(
      names = "--ews-url",
      required = true,
      paramLabel = "URL",
      description = "The EWS endpoint, e.g. https://mail.contoso.com/EWS/Exchange.asmx")
  private URI ewsUrl = URI.create("https://invalid");

  @Option(
      names = "--registration-url",
      required = true,
      paramLabel = "URL",
      description = "The registration service of the listener's region")
  private URI registrationUrl = URI.create("https://invalid");

  @Option(
      names = "--app-id",
      required = true,
      paramLabel = "ID",
      description = "An app the listener serves: the APNs topic (bundle id) or Firebase project id")
  private String appId = "";

  @Option(
      names = "--platform",
      paramLabel = "apns|fcm",
      defaultValue = "apns",
      description = "The throw-away registration's platform (default: ${DEFAULT-VALUE})")
  private String platform = "apns";

  @Option(
      names = "--apns-environment",
      paramLabel = "sandbox|production",
      description = "For apns: the device token's environment (default: production)")
  private @Nullable String apnsEnvironment;

  @Option(
      names = "--device-token",
      paramLabel = "TOKEN",
      description =
          "A test device's push token, so that a test message's push is checked too (default: a"
              + " made-up token, which the push provider refuses)")
  private @Nullable String deviceToken;

  @Option(
      names = "--status-frequency",
      paramLabel = "MINUTES",
      defaultValue = "1",
      description = "The subscription's StatusFrequency (default: ${DEFAULT-VALUE})")
  private int statusFrequency = 1;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "90s",
      converter = DurationConverter.class,
      description =
          "How long to wait for Exchange's first notification (default: ${DEFAULT-VALUE})")
  private Duration waitForHeartbeat = Duration.ofSeconds(90);

  @Option(
      names = "--test-message",
      paramLabel = "none|send|ask",
      defaultValue = "none",
      description =
          "Send a test message from the mailbox to itself, ask you to send one, or neither"
              + " (default: ${DEFAULT-VALUE})")
  private String testMessage = "none";

  @Option(
      names = "--mail-wait",
      paramLabel = "DURATION",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description =
          "How long to wait for the test message's notification (default: ${DEFAULT-VALUE})")
  private Duration mailWait = Duration.ofMinutes(2);

  @Option(
      names = "--mailbox",
      paramLabel = "ADDRESS",
      description = "The test mailbox's address, for --test-message send (never printed)")
  private @Nullable String mailbox;

  @Option(
      names = "--ews-ca-file",
      paramLabel = "PEM",
      description = "Trust only these CA certificates for EWS instead of the JDK's trust store")
  private @Nullable Path ewsCaFile;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Bound on connecting and on each answer (default: ${DEFAULT-VALUE})")
  private Duration timeout = Duration.ofSeconds(30);

  private final Map<String, String> environment;
  private final Prompt prompt;
  private final PrintStream out;
  private final Doctor.EwsFactory ews;
  private final boolean hookOnShutdown;

  private Main(
      Map<String, String> environment,
      Prompt prompt,
      PrintStream out,
      Doctor.EwsFactory ews,
      boolean hookOnShutdown) {
    this.environment = environment;
    this.prompt = prompt;
    this.out = out;
    this.ews = ews;
    this.hookOnShutdown = hookOnShutdown;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(
        run(args, System.getenv(), terminal(System.console()), out, err, Main::javaApi, true));
  }

  /**
   * The whole command: parses {@code args}, reads the credentials, runs the doctor, prints the
   * report.
   *
   * @return the exit code
   */
  static int run(
      String[] args,
      Map<String, String> environment,
      Prompt prompt,
      PrintStream out,
      PrintStream err,
      Doctor.EwsFactory ews,
      boolean hookOnShutdown) {
    for (String arg : args) {
      String name = arg.startsWith("-") ? arg.split("=", 2)[0].toLowerCase(Locale.ROOT) : "";
      if (name.contains("password")
          || name.contains("token") && !name.equals("--device-token")
          || name.contains("secret")
          || name.contains("credential")) {
        err.println(
            "inbox-push doctor: credentials are never taken from arguments ("
                + arg.split("=", 2)[0]
                + "): set "
                + EWS_USER
                + " and "
                + EWS_PASSWORD
                + ", or "
                + EWS_TOKEN
                + ", and "
                + REGISTRATION_TOKEN
                + " in the environment, or type them at the prompt");
        return Outcome.USAGE.exitCode();
      }
    }
    CommandLine command = new CommandLine(new Main(environment, prompt, out, ews, hookOnShutdown));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    command.setExitCodeExceptionMapper(e -> Outcome.INTERNAL_ERROR.exitCode());
    command.setParameterExceptionHandler(
        (e, arguments) -> {
          err.println("inbox-push doctor: " + e.getMessage());
          err.println("Try --help.");
          return Outcome.USAGE.exitCode();
        });
    command.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof UsageException) {
            err.println("inbox-push doctor: " + e.getMessage());
            return Outcome.USAGE.exitCode();
          }
          // Only the type: a message could quote a value (none of ours carries a secret).
          err.println("inbox-push doctor: unexpected " + e.getClass().getName());
          return Outcome.INTERNAL_ERROR.exitCode();
        });
    return command.execute(args);
  }

  @Override
  public Integer call() {
    DoctorOptions options;
    TlsCheck.Trust trust;
    try {
      options =
          new DoctorOptions(
              ewsUrl,
              registrationUrl,
              platform,
              appId,
              apnsEnvironment,
              deviceToken,
              statusFrequency,
              waitForHeartbeat,
              testMessage(testMessage),
              mailWait,
              mailbox,
              ewsCaFile,
              timeout);
      trust =
          ewsCaFile == null ? TlsCheck.Trust.jdkDefault() : TlsCheck.Trust.fromPem(read(ewsCaFile));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    EwsCredentials credentials = ewsCredentials();
    String registrationToken =
        value(REGISTRATION_TOKEN, "Access token for the registration API: ", true);

    out.println("inbox-push doctor: can Exchange reach the listener for this mailbox?");
    out.println();
    Doctor doctor =
        new Doctor(
            options,
            credentials,
            trust,
            new RegistrationApi(options.registrationUrl(), registrationToken, options.timeout()),
            ews,
            Clock.systemUTC(),
            step -> out.println(Report.line(step)),
            message -> out.println("    " + message));
    Thread hook = new Thread(doctor::cleanUp, "inbox-push-doctor-cleanup");
    if (hookOnShutdown) {
      // Ctrl-C during a wait still removes the throw-away registration.
      Runtime.getRuntime().addShutdownHook(hook);
    }
    Report report = doctor.run();
    if (hookOnShutdown) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C came during the run: the hook is cleaning up, and the JVM is on its way out.
      }
    }
    report.printSummary(out);
    return report.outcome().exitCode();
  }

  private EwsCredentials ewsCredentials() {
    String token = environment.get(EWS_TOKEN);
    if (token != null && !token.isEmpty()) {
      if (environment.containsKey(EWS_PASSWORD)) {
        throw new UsageException(
            "set either " + EWS_TOKEN + " or " + EWS_USER + " and " + EWS_PASSWORD + ", not both");
      }
      return new EwsCredentials.Bearer(token);
    }
    String user = value(EWS_USER, "EWS user name (blank for an OAuth2 token): ", false);
    if (user.isBlank()) {
      return new EwsCredentials.Bearer(value(EWS_TOKEN, "EWS OAuth2 access token: ", true));
    }
    return new EwsCredentials.Basic(user, value(EWS_PASSWORD, "EWS password: ", true));
  }

  /** From the environment, else the prompt, else a usage error naming the variable. */
  private String value(String variable, String question, boolean secret) {
    String value = environment.get(variable);
    if (value != null && !value.isEmpty()) {
      return value;
    }
    String typed;
    if (secret) {
      char[] chars = prompt.secret(question);
      typed = chars == null ? null : new String(chars);
      if (chars != null) {
        Arrays.fill(chars, '\0');
      }
    } else {
      typed = prompt.line(question);
    }
    if (typed == null || (secret && typed.isEmpty())) {
      throw new UsageException(
          variable + " is not set and there is no terminal to ask: set it in the environment");
    }
    // A secret is taken as typed: a password may begin or end with a space.
    return secret ? typed : typed.strip();
  }

  private static TestMessage testMessage(String value) {
    try {
      return TestMessage.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--test-message must be none, send or ask");
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("--ews-ca-file: cannot read " + file);
    }
  }

  private static dev.inboxpush.doctor.ews.Ews javaApi(
      URI url, EwsCredentials credentials, TlsCheck.Trust trust, Duration timeout) {
    return new JavaApiEws(url, credentials, trust, timeout, Clock.systemUTC());
  }

  private static Prompt terminal(@Nullable Console console) {
    return new Prompt() {
      @Override
      public @Nullable String line(String question) {
        return console == null ? null : console.readLine("%s", question);
      }

      @Override
      public char @Nullable [] secret(String question) {
        return console == null ? null : console.readPassword("%s", question);
      }
    };
  }

  /** Bad input, reported as such (exit 2). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** {@code 90s}, {@code 2m}, {@code 500ms}, or an ISO-8601 duration ({@code PT90S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
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
        return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration: use 90s, 2m, 500ms or PT90S");
      }
    }
  }
}
