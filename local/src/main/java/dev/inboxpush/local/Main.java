package dev.inboxpush.local;

import dev.inboxpush.local.auth.LocalAuthorizationServer;
import dev.inboxpush.local.push.LocalPushServer;
import dev.inboxpush.local.stack.LocalRun;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code local-<version>-exec.jar}: {@code java -jar local-<v>-exec.jar
 * <command>}, where the command is
 *
 * <ul>
 *   <li>{@code run [options]}: the whole system ({@link LocalRun}; what {@code ./inbox-push local}
 *       starts);
 *   <li>{@code auth}: the local authorization server alone ({@link LocalAuthorizationServer});
 *   <li>{@code push}: the local APNs and FCM with the push inspector alone ({@link
 *       LocalPushServer}).
 * </ul>
 *
 * Each peer is configured by its environment variables (README, "Run it locally").
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    String command = args.length == 0 ? "" : args[0];
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    switch (command) {
      case "run" -> System.exit(LocalRun.run(rest, System.out, System.err));
      case "auth" -> LocalAuthorizationServer.main(rest.toArray(String[]::new));
      case "push" -> LocalPushServer.main(rest.toArray(String[]::new));
      default -> {
        System.err.println("usage: java -jar local-<version>-exec.jar run|auth|push [options]");
        System.exit(2);
      }
    }
  }
}
