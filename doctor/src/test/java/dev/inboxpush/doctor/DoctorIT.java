package dev.inboxpush.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.doctor.ews.JavaApiEws;
import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.local.stack.StackOptions;
import dev.inboxpush.model.Region;
import dev.inboxpush.testsupport.ews.FakeEwsServer;
import dev.inboxpush.testsupport.ews.FakeEwsServer.Failure;
import dev.inboxpush.testsupport.ews.FakeEwsServer.Notification;
import dev.inboxpush.testsupport.tls.TestPki;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor end to end, one test per exit code: the command ({@link Main#run}, in this JVM, with
 * the real ews-java-api client) against {@link FakeEwsServer} and the real registration service and
 * listener of a local run ({@link LocalStack} on free ports: dynalite, the local authorization
 * server, local APNs and FCM, both services from their jars). The fake EWS server POSTs its
 * notifications to the callback URL the real registration service handed out, so each "reached the
 * listener" is the real listener's answer; and once the doctor deleted its registration, the
 * listener's {@code Unsubscribe} to the next heartbeat ends the subscription at the fake.
 *
 * <p>Code 1 (the doctor's own failure) and code 2 (usage) need no peers: {@code MainTests}. The
 * last test runs the command in its own JVM and finds no credential in anything it or the stack
 * printed.
 */
class DoctorIT {

  private static final String USER = "alice@contoso.example";
  private static final String PASSWORD = "Pa55-" + HexFormat.of().formatHex(random(8));
  private static final String EWS_TOKEN =
      "eyJ0eXAiOiJKV1Qi." + HexFormat.of().formatHex(random(24));

  private static LocalStack stack;
  private static TestPki pki;
  private static Path caFile;
  private static String registrationToken;

  private final List<FakeEwsServer> servers = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Path root = repository();
    stack =
        LocalStack.start(
            StackOptions.defaults(root)
                .withDataRoot(root.resolve("doctor/target/doctor-it-stack"))
                .withFresh(true)
                .withRegions(List.of(Region.US_EAST_1), true));
    pki = TestPki.create();
    caFile = Files.createTempFile("doctor-it-ca", ".pem");
    Files.writeString(caFile, pki.root().getCertificatePEM(), StandardCharsets.US_ASCII);
    registrationToken = scriptToken();
  }

  @AfterAll
  static void stop() throws IOException {
    if (stack != null) {
      stack.close();
    }
    if (caFile != null) {
      Files.deleteIfExists(caFile);
    }
  }

  @AfterEach
  void closeServers() {
    servers.forEach(FakeEwsServer::close);
  }

  // ---- 0: push works --------------------------------------------------------------------------

  @Test
  void exit0PushWorksWithBasicCredentialsAndATestMessageSentOverVerifiedTls() throws IOException {
    FakeEwsServer ews = ews(fake().tls(pki.server()));
    Run run =
        doctor(
            basic(),
            "--ews-url",
            ews.url().toString(),
            "--ews-ca-file",
            caFile.toString(),
            "--test-message",
            "send",
            "--mailbox",
            USER);

    Files.writeString(repository().resolve("doctor/target/doctor-report-push-works.txt"), run.out);
    assertThat(run.code).as(run.out).isEqualTo(0);
    assertThat(run.out)
        .contains("certificate valid: CN=localhost")
        .contains("Basic accepted; Exchange 2016 (15.1.2507.6); Inbox found")
        .contains("the listener heard from Exchange")
        .contains("the push provider's answer: accepted")
        .contains("Result: push works")
        .doesNotContain(USER);
    // The real listener answered both notifications OK...
    assertThat(kinds(ews, "OK")).contains("StatusEvent", "NewMailEvent");
    // ... and, the registration deleted, ended the subscription at its next heartbeat.
    awaitUnsubscribed(ews);
    assertThat(ews.operations())
        .extracting(FakeEwsServer.Operation::name)
        .containsSubsequence("GetFolder", "Subscribe", "CreateItem");
  }

  @Test
  void exit0PushWorksWithABearerTokenAndATestMessageTheUserSends() throws Exception {
    FakeEwsServer ews =
        ews(FakeEwsServer.builder().bearer(EWS_TOKEN).heartbeatEvery(Duration.ofSeconds(1)));
    // The user, told to send a message, sends one.
    Run run =
        doctor(
            Map.of(Main.EWS_TOKEN, EWS_TOKEN, Main.REGISTRATION_TOKEN, registrationToken),
            line -> {
              if (line.contains("Send a message to the test mailbox now")) {
                ews.deliverMail();
              }
            },
            "--ews-url",
            ews.url().toString(),
            "--platform",
            "fcm",
            "--app-id",
            LocalStack.FCM_PROJECT,
            "--device-token",
            "fcm-doctor-" + HexFormat.of().formatHex(random(12)),
            "--test-message",
            "ask");

    assertThat(run.code).as(run.out).isEqualTo(0);
    assertThat(run.out)
        .contains("OAuth2 bearer token accepted")
        .contains("plain HTTP: credentials travel unencrypted")
        .contains("the push provider's answer: accepted");
    assertThat(kinds(ews, "OK")).contains("StatusEvent", "NewMailEvent");
  }

  // ---- 3..12 ----------------------------------------------------------------------------------

  @Test
  void exit3WhenNothingListensAtTheEwsUrl() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Run run = doctor(basic(), "--ews-url", "http://127.0.0.1:" + closed + "/EWS/Exchange.asmx");
    assertThat(run.code).as(run.out).isEqualTo(3);
    assertThat(run.out)
        .contains("cannot connect to 127.0.0.1:" + closed, "the EWS endpoint is unreachable");
  }

  @Test
  void exit4ForASelfSignedCertificateThatEwsJavaApiItselfWouldAccept() throws Exception {
    X509Bundle selfSigned =
        new CertificateBuilder()
            .subject("CN=localhost")
            .setIsCertificateAuthority(true)
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .ecp256()
            .notBefore(Instant.now().minus(Duration.ofHours(1)))
            .notAfter(Instant.now().plus(Duration.ofDays(1)))
            .buildSelfSigned();
    FakeEwsServer ews = ews(fake().tls(selfSigned));
    Run run =
        doctor(basic(), "--ews-url", ews.url().toString(), "--ews-ca-file", caFile.toString());
    assertThat(run.code).as(run.out).isEqualTo(4);
    assertThat(run.out)
        .contains("certificate rejected: self-signed, not issued by a trusted authority");
    assertThat(ews.operations()).as("nothing sent to a server that failed the check").isEmpty();
  }

  @Test
  void exit4ForACertificateOfAnotherHost() throws Exception {
    X509Bundle otherHost =
        new CertificateBuilder()
            .subject("CN=mail.contoso.example")
            .addSanDnsName("mail.contoso.example")
            .addExtendedKeyUsageServerAuth()
            .ecp256()
            .notBefore(Instant.now().minus(Duration.ofHours(1)))
            .notAfter(Instant.now().plus(Duration.ofDays(1)))
            .buildIssuedBy(pki.root());
    FakeEwsServer ews = ews(fake().tls(otherHost));
    Run run =
        doctor(basic(), "--ews-url", ews.url().toString(), "--ews-ca-file", caFile.toString());
    assertThat(run.code).as(run.out).isEqualTo(4);
    assertThat(run.out).contains("certificate rejected: not for the host name 127.0.0.1");
  }

  @Test
  void exit4ForAnExpiredCertificate() throws Exception {
    X509Bundle expired =
        new CertificateBuilder()
            .subject("CN=localhost")
            .addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1")
            .addExtendedKeyUsageServerAuth()
            .ecp256()
            .notBefore(Instant.now().minus(Duration.ofDays(10)))
            .notAfter(Instant.now().minus(Duration.ofDays(1)))
            .buildIssuedBy(pki.root());
    FakeEwsServer ews = ews(fake().tls(expired));
    Run run =
        doctor(basic(), "--ews-url", ews.url().toString(), "--ews-ca-file", caFile.toString());
    assertThat(run.code).as(run.out).isEqualTo(4);
    assertThat(run.out)
        .contains("certificate rejected: expired on")
        .doesNotContain("not issued by a trusted authority");
  }

  @Test
  void exit5WhenEwsAcceptsAndNeverAnswers() {
    FakeEwsServer ews = ews(fake().failure(Failure.NO_ANSWER));
    Run run = doctor(basic(), "--ews-url", ews.url().toString(), "--timeout", "2s");
    assertThat(run.code).as(run.out).isEqualTo(5);
    assertThat(run.out).contains("GetFolder (Inbox): no answer in time");
  }

  @Test
  void exit6WhenExchangeRefusesThePassword() {
    FakeEwsServer ews = ews(fake());
    Run run =
        doctor(
            Map.of(
                Main.EWS_USER, USER,
                Main.EWS_PASSWORD, "wrong-" + PASSWORD,
                Main.REGISTRATION_TOKEN, registrationToken),
            line -> {},
            "--ews-url",
            ews.url().toString());
    assertThat(run.code).as(run.out).isEqualTo(6);
    assertThat(run.out).contains("HTTP 401 Unauthorized", "Exchange refused the credentials");
  }

  @Test
  void exit6WithExchangeOnlinesReasonWhenItRefusesTheBearerToken() {
    FakeEwsServer ews = ews(FakeEwsServer.builder().bearer(EWS_TOKEN));
    Run run =
        doctor(
            Map.of(
                Main.EWS_TOKEN, "expired-" + EWS_TOKEN, Main.REGISTRATION_TOKEN, registrationToken),
            line -> {},
            "--ews-url",
            ews.url().toString());
    assertThat(run.code).as(run.out).isEqualTo(6);
    assertThat(run.out)
        .contains(
            "HTTP 401 Unauthorized (x-ms-diagnostics: 2000001;reason=\"The token is invalid.\"")
        .doesNotContain(EWS_TOKEN);
  }

  @Test
  void exit7WhenEwsIsSwitchedOffAndPointsToTheGraphMode() {
    FakeEwsServer ews = ews(fake().failure(Failure.EWS_DISABLED));
    Run run = doctor(basic(), "--ews-url", ews.url().toString());
    assertThat(run.code).as(run.out).isEqualTo(7);
    assertThat(run.out).contains("HTTP 403 Forbidden", "Microsoft Graph mode");
  }

  @Test
  void exit8WhenSubscribeIsAnsweredWithAnEwsErrorAndTheRegistrationIsStillRemoved() {
    FakeEwsServer ews =
        ews(
            fake()
                .failure(Failure.SUBSCRIBE_ERROR)
                .subscribeError("ErrorExceededSubscriptionCount"));
    Run run = doctor(basic(), "--ews-url", ews.url().toString());
    assertThat(run.code).as(run.out).isEqualTo(8);
    assertThat(run.out).contains("Subscribe: ErrorExceededSubscriptionCount");
    String id = registrationIdIn(run.out);
    assertThat(run.out).contains("remove the throw-away registration");
    assertThat(getRegistration(id).statusCode()).isEqualTo(404);
  }

  @Test
  void exit9WhenTheRegistrationServiceRefusesTheToken() {
    FakeEwsServer ews = ews(fake());
    Run run =
        doctor(
            Map.of(
                Main.EWS_USER,
                USER,
                Main.EWS_PASSWORD,
                PASSWORD,
                Main.REGISTRATION_TOKEN,
                "not-a-jwt"),
            line -> {},
            "--ews-url",
            ews.url().toString());
    assertThat(run.code).as(run.out).isEqualTo(9);
    assertThat(run.out).contains("POST /v1/registrations: HTTP 401");
    assertThat(ews.liveSubscriptions()).as("no subscription without a registration").isEmpty();
  }

  @Test
  void exit10WhenNoNotificationLeavesExchange() throws IOException {
    FakeEwsServer ews = ews(fake().failure(Failure.NOTIFICATIONS_BLOCKED));
    Run run = doctor(basic(), "--ews-url", ews.url().toString(), "--wait", "3s");
    Files.writeString(
        repository().resolve("doctor/target/doctor-report-listener-unreachable.txt"), run.out);
    assertThat(run.code).as(run.out).isEqualTo(10);
    assertThat(run.out)
        .contains("nothing reached the listener within 3 s")
        .contains("defaultProxy");
    assertThat(ews.notifications()).as("Exchange tried").isNotEmpty();
  }

  @Test
  void exit11WhenTheListenerAnswersUnsubscribeForADeadDeviceToken() throws Exception {
    String dead = HexFormat.of().formatHex(random(32));
    FakeEwsServer ews = ews(fake());
    // Dead from after the registration on (a token dead before it was registered is not deleted).
    Run run =
        doctor(
            basic(),
            line -> {
              if (line.contains("the listener heard from Exchange")) {
                makeDead(dead);
              }
            },
            "--ews-url",
            ews.url().toString(),
            "--device-token",
            dead,
            "--apns-environment",
            "sandbox",
            "--test-message",
            "send",
            "--mailbox",
            USER);
    assertThat(run.code).as(run.out).isEqualTo(11);
    assertThat(run.out).contains("the listener answered Unsubscribe");
    assertThat(kinds(ews, "Unsubscribe")).containsExactly("NewMailEvent");
  }

  @Test
  void exit12WhenNoTestMessageArrives() {
    FakeEwsServer ews = ews(fake());
    Run run =
        doctor(
            basic(),
            "--ews-url",
            ews.url().toString(),
            "--test-message",
            "ask",
            "--mail-wait",
            "3s");
    assertThat(run.code).as(run.out).isEqualTo(12);
    assertThat(run.out).contains("no new-mail notification within 3 s");
  }

  // ---- the credentials ------------------------------------------------------------------------

  @Test
  void noCredentialAppearsInTheOutputOfTheCommandOrTheLogsOfTheStack() throws Exception {
    FakeEwsServer basicEws = ews(fake().tls(pki.server()));
    FakeEwsServer bearerEws = ews(FakeEwsServer.builder().bearer("another-" + EWS_TOKEN));
    Process ok =
        command(
            Map.of(
                Main.EWS_USER,
                USER,
                Main.EWS_PASSWORD,
                PASSWORD,
                Main.REGISTRATION_TOKEN,
                registrationToken),
            "--ews-url",
            basicEws.url().toString(),
            "--ews-ca-file",
            caFile.toString(),
            "--test-message",
            "send",
            "--mailbox",
            USER);
    Process refused =
        command(
            Map.of(Main.EWS_TOKEN, EWS_TOKEN, Main.REGISTRATION_TOKEN, registrationToken),
            "--ews-url",
            bearerEws.url().toString());
    String okOutput = finish(ok);
    String refusedOutput = finish(refused);
    assertThat(ok.exitValue()).as(okOutput).isEqualTo(0);
    assertThat(refused.exitValue()).as(refusedOutput).isEqualTo(6);

    String basic =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    List<String> secrets = List.of(PASSWORD, EWS_TOKEN, basic, registrationToken, USER);
    StringBuilder everything = new StringBuilder(okOutput).append(refusedOutput);
    for (LocalStack.Part part : stack.parts()) {
      everything.append(Files.readString(part.log(), StandardCharsets.UTF_8));
    }
    for (String secret : secrets) {
      assertThat(everything.toString()).doesNotContain(secret);
    }
    assertThat(okOutput).contains("Result: push works");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Run(int code, String out) {}

  private static Map<String, String> basic() {
    return Map.of(
        Main.EWS_USER,
        USER,
        Main.EWS_PASSWORD,
        PASSWORD,
        Main.REGISTRATION_TOKEN,
        registrationToken);
  }

  private static FakeEwsServer.Builder fake() {
    return FakeEwsServer.builder()
        .basic(USER, PASSWORD)
        .mailbox(USER)
        .heartbeatEvery(Duration.ofSeconds(1));
  }

  private FakeEwsServer ews(FakeEwsServer.Builder builder) {
    FakeEwsServer server = builder.start();
    servers.add(server);
    return server;
  }

  private static Run doctor(Map<String, String> environment, String... args) {
    return doctor(environment, line -> {}, args);
  }

  /** The command in this JVM; {@code onLine} sees every line it prints, as it prints it. */
  private static Run doctor(
      Map<String, String> environment, java.util.function.Consumer<String> onLine, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new LineWatcher(bytes, onLine), true, StandardCharsets.UTF_8);
    int code =
        Main.run(
            withDefaults(args),
            environment,
            NO_TERMINAL,
            out,
            out,
            (url, credentials, trust, timeout) ->
                new JavaApiEws(url, credentials, trust, timeout, Clock.systemUTC()),
            false);
    out.flush();
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The registration service, the local app and a short wait unless the test says otherwise. */
  private static String[] withDefaults(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--registration-url");
    all.add(stack.registrationUrl(Region.US_EAST_1).toString());
    if (!all.contains("--app-id")) {
      all.add("--app-id");
      all.add(LocalStack.APNS_TOPIC);
      if (!all.contains("--apns-environment")) {
        all.add("--apns-environment");
        all.add("sandbox");
      }
    }
    if (!all.contains("--wait")) {
      all.add("--wait");
      all.add("20s");
    }
    if (!all.contains("--mail-wait")) {
      all.add("--mail-wait");
      all.add("20s");
    }
    return all.toArray(String[]::new);
  }

  /**
   * The command in its own JVM from its packaged jar, as an administrator runs it, with only {@code
   * environment}.
   */
  private static Process command(Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(execJar().toString());
    command.addAll(List.of(withDefaults(args)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("INBOXPUSH_DOCTOR_"));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** The jar an administrator runs, as this build packaged it. */
  private static Path execJar() throws IOException {
    try (Stream<Path> files = Files.list(repository().resolve("doctor/target"))) {
      List<Path> jars =
          files
              .filter(file -> file.getFileName().toString().matches("doctor-.*-exec\\.jar"))
              .toList();
      assertThat(jars).as("the packaged doctor-<version>-exec.jar").hasSize(1);
      return jars.get(0);
    }
  }

  private static String finish(Process process) throws Exception {
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(output, StandardCharsets.UTF_8);
  }

  private static final Main.Prompt NO_TERMINAL =
      new Main.Prompt() {
        @Override
        public String line(String prompt) {
          return null;
        }

        @Override
        public char[] secret(String prompt) {
          return null;
        }
      };

  private static List<String> kinds(FakeEwsServer ews, String answer) {
    return ews.notifications().stream()
        .filter(n -> n.status() == 200 && answer.equals(n.subscriptionStatus()))
        .map(Notification::kind)
        .toList();
  }

  private static void awaitUnsubscribed(FakeEwsServer ews) {
    await(
        () -> ews.liveSubscriptions().isEmpty(),
        "the listener ends the subscription: " + ews.notifications());
    assertThat(kinds(ews, "Unsubscribe")).containsExactly("StatusEvent");
  }

  private static void await(Supplier<Boolean> condition, String what) {
    // The listener reuses a found registration for its lookup cache's positive TTL (30 s).
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.get()) {
      assertThat(Instant.now()).as(what).isBefore(deadline);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static final Pattern REGISTRATION = Pattern.compile("registration ([0-9a-f-]{36})");

  private static String registrationIdIn(String out) {
    Matcher matcher = REGISTRATION.matcher(out);
    assertThat(matcher.find()).as(out).isTrue();
    return matcher.group(1);
  }

  /** The local APNs answers 410 Unregistered for this token from now on (the push inspector). */
  private static void makeDead(String token) {
    try {
      HttpResponse<String> killed =
          HTTP.send(
              HttpRequest.newBuilder(
                      stack.inspectorUrl().resolve("/api/devices/apns/" + token + "/dead"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(killed.statusCode()).as(killed.body()).isBetween(200, 299);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> getRegistration(String id) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(
                  stack.registrationUrl(Region.US_EAST_1).resolve("/v1/registrations/" + id))
              .header("Authorization", "Bearer " + registrationToken)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * An access token of the local run's script client (client credentials), as an admin gets one.
   */
  private static String scriptToken() {
    try {
      String secret =
          Files.readString(stack.scriptClientSecretFile(), StandardCharsets.UTF_8).strip();
      String basic =
          Base64.getEncoder()
              .encodeToString(("inboxpush-script:" + secret).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(stack.issuer().resolve("/oauth2/token"))
                  .header("Authorization", "Basic " + basic)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Matcher token =
          Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
      assertThat(token.find()).isTrue();
      return token.group(1);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Path repository() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("inbox-push"))
          && Files.isDirectory(dir.resolve("doctor"))) {
        return dir;
      }
    }
    throw new IllegalStateException("not inside a checkout of inbox-push");
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** Passes bytes through and hands each complete line to a watcher. */
  private static final class LineWatcher extends OutputStream {
    private final OutputStream target;
    private final java.util.function.Consumer<String> onLine;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineWatcher(OutputStream target, java.util.function.Consumer<String> onLine) {
      this.target = target;
      this.onLine = onLine;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      target.write(b);
      if (b == '\n') {
        onLine.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
