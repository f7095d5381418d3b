package dev.inboxpush.local.stack;

import dev.inboxpush.model.Region;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code ./inbox-push local [--fresh] [--three-regions] [--data DIR]}: starts the {@link
 * LocalStack} from the repository in the working directory, prints what a person needs next (the
 * URLs, the processes, how to get a token, the walk-through), and runs until Ctrl-C, which stops
 * every process it started. When a part exits on its own, the run says which, stops the rest and
 * exits with status 1.
 *
 * <p>Exit status: 130 after Ctrl-C (the JVM's, for SIGINT), 143 after SIGTERM, 1 when the stack
 * failed to start or a part died, 2 for bad arguments, 0 for {@code --help}.
 */
public final class LocalRun {

  static final String USAGE =
      """
      usage: ./inbox-push local [--fresh] [--three-regions] [--data DIR]
        --fresh          start with an empty table and new generated secrets (deletes the data folder's
                         dynamo/, auth/, push/ and registration/)
        --three-regions  a registration service and a listener for each of us-east-1, eu-west-1 and
                         ap-southeast-1, over one shared dynalite (the Global Table)
        --data DIR       keep data, generated secrets and logs in DIR (default: .local)
      """;

  private LocalRun() {}

  /** Runs the command; returns only on bad arguments or a failed start (with the exit status). */
  public static int run(List<String> arguments, PrintStream out, PrintStream err) {
    Path repository = Path.of("").toAbsolutePath();
    StackOptions options;
    try {
      options = parse(arguments, StackOptions.defaults(repository));
    } catch (IllegalArgumentException e) {
      err.println("inbox-push local: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options == null) {
      out.print(USAGE);
      return 0;
    }
    out.printf(
        Locale.ROOT,
        "inbox-push local: starting %s in %s (data in %s)%n",
        options.regions().stream().map(Region::code).collect(Collectors.joining(", ")),
        repository,
        options.dataRoot());
    LocalStack stack;
    try {
      stack = LocalStack.start(options);
    } catch (RuntimeException e) {
      err.println("inbox-push local: could not start: " + e.getMessage());
      return 1;
    }
    out.print(summary(stack, repository));
    out.flush();
    watch(stack, err);
    return 1;
  }

  /** The options {@code arguments} ask for, or null for {@code --help}. */
  static StackOptions parse(List<String> arguments, StackOptions defaults) {
    StackOptions options = defaults;
    List<Region> regions = List.of(Region.US_EAST_1);
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      switch (argument) {
        case "--fresh" -> options = options.withFresh(true);
        case "--three-regions" -> regions = List.of(Region.values());
        case "--data" -> {
          if (i + 1 == arguments.size() || arguments.get(i + 1).isBlank()) {
            throw new IllegalArgumentException("--data needs a folder");
          }
          options = options.withDataRoot(Path.of(arguments.get(++i)));
        }
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + argument);
      }
    }
    return options.withRegions(regions, false);
  }

  /** What the terminal shows once everything is ready. */
  static String summary(LocalStack stack, Path repository) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(Locale.ROOT, "%ninbox-push is running: ready in %.1f s%n%n", seconds(stack)));
    for (Region region : stack.options().regions()) {
      text.append(
          String.format(
              Locale.ROOT,
              "  %-16s registration API %s/v1/registrations   listener %s/ews/v1/{token}%n",
              region.code(),
              stack.registrationUrl(region),
              stack.listenerUrl(region)));
      text.append(
          String.format(
              Locale.ROOT,
              "  %-16s management       %s/actuator/health     %s/actuator/prometheus%n",
              "",
              stack.registrationManagementUrl(region),
              stack.listenerManagementUrl(region)));
    }
    text.append(String.format(Locale.ROOT, "  push inspector   %s/%n", stack.inspectorUrl()));
    text.append(
        String.format(
            Locale.ROOT,
            "  authorization    %s (clients inboxpush-app, inboxpush-script)%n",
            stack.issuer()));
    text.append(String.format(Locale.ROOT, "  dynalite         %s%n%n", stack.dynamoEndpoint()));
    text.append("processes (logs in ")
        .append(relative(repository, stack.options().dataRoot().resolve("logs")))
        .append("):\n");
    for (LocalStack.Part part : stack.parts()) {
      text.append(
          String.format(
              Locale.ROOT,
              "  pid %-8d %-28s ports %s%n",
              part.pid(),
              part.name(),
              part.ports().stream().map(String::valueOf).collect(Collectors.joining(","))));
    }
    String secret = relative(repository, stack.scriptClientSecretFile());
    text.append(
        String.format(
            Locale.ROOT,
            """

            Next: get a token for scripts (client credentials), then follow "Run it locally" in
            README.md (register a device, bind a subscription, POST a notification, watch the badge):

              curl -s -u "inboxpush-script:$(cat %s)" \\
                -d grant_type=client_credentials %s/oauth2/token

            Ctrl-C stops everything.
            """,
            secret,
            stack.issuer()));
    return text.toString();
  }

  private static double seconds(LocalStack stack) {
    return stack.startedIn().toMillis() / 1000.0;
  }

  private static String relative(Path repository, Path path) {
    return path.startsWith(repository) ? repository.relativize(path).toString() : path.toString();
  }

  /** Blocks until a part exits on its own (Ctrl-C ends the JVM through its shutdown hook). */
  private static void watch(LocalStack stack, PrintStream err) {
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stack.close();
        return;
      }
      if (stack.isClosed()) {
        return;
      }
      List<String> dead = new ArrayList<>();
      for (LocalStack.Part part : stack.parts()) {
        if (ProcessHandle.of(part.pid()).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        dead.add(part.name() + " (see " + part.log() + ")");
      }
      if (!dead.isEmpty() && !stack.isClosed()) {
        err.println("inbox-push local: exited on its own: " + String.join(", ", dead));
        err.println("inbox-push local: stopping the rest");
        stack.close();
        return;
      }
    }
  }
}
