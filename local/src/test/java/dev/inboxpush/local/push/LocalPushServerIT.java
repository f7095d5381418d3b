package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.ApnsClient;
import dev.inboxpush.local.push.PushClients.Outcome;
import dev.inboxpush.testsupport.apns.MockApns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local push server started on free ports in a temporary data directory, with real clients
 * configured only from its files: pushy for APNs, firebase-admin for FCM.
 */
class LocalPushServerIT {

  private static final String TOPIC = PushSettings.DEFAULT_APNS_TOPIC;
  private static final String PROJECT = PushSettings.DEFAULT_FCM_PROJECT;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  // One data directory for the class: the keys are generated once, as on a person's machine, and
  // every test after the first starts on kept files.
  @TempDir static Path dataDirectory;

  private final HttpClient http = HttpClient.newHttpClient();
  private LocalPushServer server;

  @BeforeEach
  void start() {
    server = LocalPushServer.start(PushSettings.onFreePorts(dataDirectory));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void apnsAcceptsAnyWellFormedTokenAndVerifiesTheRestAsAppleDoes() throws Exception {
    String token = apnsToken();
    ApnsClient client = apnsClient(server, keyFile());
    ApnsClient stranger = null;
    try {
      assertThat(PushClients.push(client, token, TOPIC, 3).accepted()).isTrue();
      assertThat(PushClients.push(client, token.substring(1), TOPIC, 3).reason())
          .isEqualTo("BadDeviceToken");
      assertThat(PushClients.push(client, token, "com.example.other", 3).reason())
          .isEqualTo("DeviceTokenNotForTopic");

      Path otherKey = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-other.p8");
      Files.writeString(otherKey, otherP8());
      stranger = apnsClient(server, otherKey);
      assertThat(PushClients.push(stranger, token, TOPIC, 3).reason())
          .isEqualTo("InvalidProviderToken");
    } finally {
      PushClients.close(client);
      PushClients.close(stranger);
    }

    List<Push> pushes = server.pushes().pushes();
    assertThat(pushes).hasSize(4);
    Push accepted = pushes.get(3);
    assertThat(accepted.platform()).isEqualTo("apns");
    assertThat(accepted.token()).isEqualTo(token);
    assertThat(accepted.shortToken()).isEqualTo(token.substring(0, 6) + "…(64)");
    assertThat(accepted.app()).isEqualTo(TOPIC);
    assertThat(accepted.badge()).isEqualTo(3);
    assertThat(accepted.kind()).isEqualTo("new-mail");
    assertThat(accepted.priority()).isEqualTo("10");
    assertThat(accepted.pushType()).isEqualTo("alert");
    assertThat(accepted.collapseId()).isEqualTo("inbox");
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.accepted()).isTrue();
    assertThat(pushes.get(0).rejection()).isEqualTo("InvalidProviderToken");
    assertThat(pushes.get(0).status()).isEqualTo(403);
    assertThat(pushes.get(2).status()).isEqualTo(400);
  }

  @Test
  void fcmAcceptsMessagesSentWithTheGeneratedServiceAccount() throws Exception {
    String token = fcmToken();
    try (PushClients.Fcm fcm = fcmClient(server)) {
      assertThat(fcm.send(token, 4).accepted()).isTrue();
    }

    Push push = server.pushes().pushes().get(0);
    assertThat(push.platform()).isEqualTo("fcm");
    assertThat(push.token()).isEqualTo(token);
    assertThat(push.app()).isEqualTo(PROJECT);
    assertThat(push.badge()).isEqualTo(4);
    assertThat(push.kind()).isEqualTo("new-mail");
    assertThat(push.priority()).isEqualTo("high");
    assertThat(push.pushType()).isNull();
    assertThat(push.collapseId()).isEqualTo("inbox");
    assertThat(push.accepted()).isTrue();
  }

  @Test
  void aTokenMadeDeadThroughTheInspectorIsRefusedOnTheNextPush() throws Exception {
    String apnsToken = apnsToken();
    String fcmToken = fcmToken();
    ApnsClient client = apnsClient(server, keyFile());
    try (PushClients.Fcm fcm = fcmClient(server)) {
      assertThat(PushClients.push(client, apnsToken, TOPIC, 1).accepted()).isTrue();
      assertThat(fcm.send(fcmToken, 1).accepted()).isTrue();

      // Upper case: APNs tokens are case-insensitive hex, kept in lower case.
      HttpResponse<String> apnsDead =
          post("/api/devices/apns/" + apnsToken.toUpperCase() + "/dead");
      HttpResponse<String> fcmDead = post("/api/devices/fcm/" + fcmToken + "/dead");

      assertThat(apnsDead.statusCode()).isEqualTo(200);
      assertThat(json(apnsDead).at("/device/token").asString()).isEqualTo(apnsToken);
      assertThat(json(apnsDead).at("/device/dead").asBoolean()).isTrue();
      assertThat(fcmDead.statusCode()).isEqualTo(200);

      Outcome apnsAfter = PushClients.push(client, apnsToken, TOPIC, 2);
      assertThat(apnsAfter.reason()).isEqualTo("Unregistered");
      assertThat(apnsAfter.invalidSince()).isNotNull();
      assertThat(fcm.send(fcmToken, 2).reason()).isEqualTo("UNREGISTERED");
    } finally {
      PushClients.close(client);
    }

    JsonNode pushes = json(get("/api/pushes")).get("pushes");
    assertThat(pushes.get(0).get("platform").asString()).isEqualTo("fcm");
    assertThat(pushes.get(0).get("status").asInt()).isEqualTo(404);
    assertThat(pushes.get(0).get("rejection").asString()).isEqualTo("UNREGISTERED");
    assertThat(pushes.get(1).get("status").asInt()).isEqualTo(410);
    assertThat(pushes.get(1).get("rejection").asString()).isEqualTo("Unregistered");
    assertThat(pushes.get(1).get("accepted").asBoolean()).isFalse();
    JsonNode devices = json(get("/api/devices")).get("devices");
    assertThat(devices).hasSize(2);
    devices.forEach(device -> assertThat(device.get("dead").asBoolean()).isTrue());
  }

  @Test
  void aRestartOnTheSameDataDirectoryKeepsTheFirstStartsKeysWorking() throws Exception {
    Path caFile = server.data().caFile();
    Path keyFile = keyFile();
    Path accountFile = server.data().serviceAccountFile(PROJECT);
    String ca = Files.readString(caFile);
    String key = Files.readString(keyFile);
    String account = Files.readString(accountFile);
    server.close();

    server = LocalPushServer.start(PushSettings.onFreePorts(dataDirectory));

    assertThat(server.data().generated()).isEmpty();
    assertThat(Files.readString(caFile)).isEqualTo(ca);
    assertThat(Files.readString(keyFile)).isEqualTo(key);
    assertThat(Files.readString(accountFile)).isEqualTo(account);
    ApnsClient client =
        PushClients.apns(
            server.apnsPort(), caFile, keyFile, PushSettings.DEFAULT_APNS_KEY_ID, MockApns.TEAM_ID);
    try {
      assertThat(PushClients.push(client, apnsToken(), TOPIC, 5).accepted()).isTrue();
    } finally {
      PushClients.close(client);
    }
    try (PushClients.Fcm fcm =
        new PushClients.Fcm(server.fcmPort(), caFile, accountFile, PROJECT)) {
      assertThat(fcm.send(fcmToken(), 5).accepted()).isTrue();
    }
  }

  @Test
  void everyServerListensOnTheConfiguredAddressOnly() throws Exception {
    InetAddress other = nonLoopbackAddress();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        other != null, "this machine has no non-loopback IPv4 address to try");
    for (int port : List.of(server.apnsPort(), server.fcmPort(), server.inspectorPort())) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(other, port), 1000);
        throw new AssertionError(other + ":" + port + " answered; only 127.0.0.1 should");
      } catch (IOException expected) {
        // refused: nothing listens there
      }
    }
  }

  @Test
  void healthAndTheListenerSettingsNameWhatListens() throws Exception {
    HttpResponse<String> health = get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("status").asString()).isEqualTo("UP");
    assertThat(json(health).get("apnsPort").asInt()).isEqualTo(server.apnsPort());
    assertThat(json(health).get("fcmPort").asInt()).isEqualTo(server.fcmPort());
    Map<String, String> properties = server.listenerProperties();
    assertThat(properties)
        .containsEntry("inboxpush.apns.apps[0].topic", TOPIC)
        .containsEntry("inboxpush.apns.apps[0].token.key-file", keyFile().toString())
        .containsEntry("inboxpush.apns.apps[0].token.key-id", "LOCALKEY01")
        .containsEntry("inboxpush.apns.apps[0].token.team-id", "TEAM000001")
        .containsEntry("inboxpush.apns.production.host", "127.0.0.1")
        .containsEntry("inboxpush.apns.sandbox.port", Integer.toString(server.apnsPort()))
        .containsEntry(
            "inboxpush.apns.trusted-server-certificates", server.data().caFile().toString())
        .containsEntry("inboxpush.fcm.projects[0].project-id", PROJECT)
        .containsEntry(
            "inboxpush.fcm.projects[0].credentials-file",
            dataDirectory.resolve("fcm-service-account-inboxpush-local.json").toString())
        .containsEntry("inboxpush.fcm.base-url", "https://127.0.0.1:" + server.fcmPort())
        .containsEntry(
            "inboxpush.fcm.trusted-server-certificates", server.data().caFile().toString());
  }

  // ------------------------------------------------------------------------------ inspector

  @Test
  void thePageIsSelfContainedAndLocksItselfDown() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    String policy = page.headers().firstValue("content-security-policy").orElseThrow();
    assertThat(policy)
        .startsWith("default-src 'none'; script-src 'nonce-")
        .contains("connect-src 'self'");
    String nonce =
        policy.substring(
            policy.indexOf("'nonce-") + 7, policy.indexOf('\'', policy.indexOf("'nonce-") + 7));
    assertThat(page.body())
        .contains("<script nonce=\"" + nonce + "\">")
        .doesNotContain("{{NONCE}}");
    assertThat(page.body()).doesNotContain("src=\"http", "href=\"http", "innerHTML", "@import");
    assertThat(get("/").headers().firstValue("content-security-policy").orElseThrow())
        .as("a fresh nonce per page")
        .isNotEqualTo(policy);
  }

  @Test
  void pushesCanBeReadAfterASequence() throws Exception {
    ApnsClient client = apnsClient(server, keyFile());
    try {
      PushClients.push(client, apnsToken(), TOPIC, 1);
      PushClients.push(client, apnsToken(), TOPIC, 2);
    } finally {
      PushClients.close(client);
    }

    JsonNode all = json(get("/api/pushes"));
    JsonNode after = json(get("/api/pushes?after=1"));

    assertThat(all.get("lastSequence").asLong()).isEqualTo(2);
    assertThat(all.get("capacity").asInt()).isEqualTo(1000);
    assertThat(all.get("instance").asString()).isNotBlank();
    assertThat(all.get("pushes")).hasSize(2);
    assertThat(after.get("pushes")).hasSize(1);
    assertThat(after.at("/pushes/0/badge").asInt()).isEqualTo(2);
    assertThat(after.at("/pushes/0/token").asString()).hasSize(64);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          POST   | /api/devices/gcm/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/dead | 400 | the platform is apns or fcm
          POST   | /api/devices/apns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/dead  | 400 | an APNs device token is 64 hexadecimal digits
          POST   | /api/devices/apns/%3Cscript%3Ealert(1)%3C%2Fscript%3E/dead                             | 400 | an APNs device token is 64 hexadecimal digits
          POST   | /api/devices/fcm/%3Cimg%20src%3Dx%3E/dead                                              | 400 | not an FCM registration token
          POST   | /api/devices/fcm/short/dead                                                            | 400 | not an FCM registration token
          POST   | /api/devices/fcm//dead                                                                 | 400 | not an FCM registration token
          GET    | /api/devices/apns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/dead | 405 | only POST is allowed here
          DELETE | /api/pushes                                                                            | 405 | only GET is allowed here
          POST   | /                                                                                      | 405 | only GET is allowed here
          GET    | /api/pushes?after=-1                                                                   | 400 | the only parameter is after=<sequence>
          GET    | /api/pushes?after=1&x=%3Cb%3E                                                          | 400 | the only parameter is after=<sequence>
          GET    | /api/nothing                                                                           | 404 | no such resource
          GET    | /../../etc/passwd                                                                      | 404 | no such resource
          GET    | /api/devices/apns/x/y/z/dead                                                           | 404 | no such resource
          """)
  void badRequestsGetJsonErrors(String method, String path, int status, String error)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(json(response).get("status").asInt()).isEqualTo(status);
    assertThat(json(response).get("error").asString()).startsWith(error);
    if (status == 405) {
      assertThat(response.headers().firstValue("allow")).isPresent();
    }
    assertThat(server.pushes().devices()).as("nothing was made dead").isEmpty();
  }

  @Test
  void anOversizedBodyIsRefused() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base() + "/api/devices/apns/" + apnsToken() + "/dead"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(64 * 1024)))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asString()).startsWith("request bodies are refused");
    assertThat(server.pushes().devices()).isEmpty();
  }

  @Test
  void anOversizedChunkedBodyIsRefusedToo() throws Exception {
    String answer =
        raw(
            "POST /api/devices/apns/"
                + apnsToken()
                + "/dead HTTP/1.1\r\n"
                + "Host: 127.0.0.1:"
                + server.inspectorPort()
                + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + "800\r\n"
                + "x".repeat(0x800)
                + "\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(server.pushes().devices()).isEmpty();
  }

  @Test
  void anotherHostNameIsRefusedAgainstDnsRebinding() throws Exception {
    String answer =
        raw(
            "GET /api/pushes HTTP/1.1\r\nHost: attacker.example:"
                + server.inspectorPort()
                + "\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 403");
    assertThat(answer).contains("\"error\":\"this inspector answers only for 127.0.0.1:");
  }

  @Test
  void anotherSitesPageCannotMakeATokenDead() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base() + "/api/devices/apns/" + apnsToken() + "/dead"))
                .header("Origin", "http://attacker.example")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(server.pushes().devices()).isEmpty();
  }

  @Test
  void theInspectorsOwnOriginMayMakeATokenDead() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base() + "/api/devices/apns/" + apnsToken() + "/dead"))
                .header("Origin", "http://127.0.0.1:" + server.inspectorPort())
                .header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  // -------------------------------------------------------------------------------- helpers

  private Path keyFile() {
    return server.data().signingKey().p8File();
  }

  static ApnsClient apnsClient(LocalPushServer server, Path p8File) throws Exception {
    return PushClients.apns(
        server.apnsPort(),
        server.data().caFile(),
        p8File,
        PushSettings.DEFAULT_APNS_KEY_ID,
        MockApns.TEAM_ID);
  }

  private static PushClients.Fcm fcmClient(LocalPushServer server) throws Exception {
    return new PushClients.Fcm(
        server.fcmPort(),
        server.data().caFile(),
        server.data().serviceAccountFile(PROJECT),
        PROJECT);
  }

  static String apnsToken() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String fcmToken() {
    return "fcm-" + apnsToken().substring(0, 20) + ":APA91b" + apnsToken();
  }

  private static String otherP8() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return dev.inboxpush.testsupport.tls.TestPki.pkcs8Pem(generator.generateKeyPair().getPrivate());
  }

  private String base() {
    return "http://127.0.0.1:" + server.inspectorPort();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** One request written as is (a header the JDK client will not send), the whole answer read. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.inspectorPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      // The headers, then as many bytes as Content-Length says (the server keeps the connection).
      for (int read; (read = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, read);
        String text = answer.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        java.util.regex.Matcher length =
            java.util.regex.Pattern.compile("(?i)content-length: *([0-9]+)").matcher(text);
        if (end >= 0
            && (!length.find() || answer.size() >= end + 4 + Integer.parseInt(length.group(1)))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : network.inetAddresses().toList()) {
        if (address instanceof Inet4Address) {
          return address;
        }
      }
    }
    return null;
  }
}
