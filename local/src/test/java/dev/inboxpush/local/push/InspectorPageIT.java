package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.ApnsClient;
import com.sun.net.httpserver.HttpServer;
import dev.inboxpush.local.push.PushClients.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push inspector's page in real headless Chromium: {@code browser/inspector-check.mjs}
 * (playwright-core driving Debian's {@code /usr/bin/chromium}) opens the page, calls a trigger URL
 * that this test answers by pushing with pushy ({@link BrowserCheck}), sees the row appear within 2
 * s without a reload, clicks the device's dead-token control, triggers again and sees the row show
 * {@code Unregistered}, then saves {@code target/inspector.png}.
 *
 * <p>Needs node, {@code browser/node_modules} (the build's {@code npm ci}) and chromium ({@link
 * BrowserCheck#require()}). The end-to-end version, with the badge POSTed through the real
 * listener, is in {@code LocalStackIT}.
 */
class InspectorPageIT {

  private static final Path SCREENSHOT = Path.of("target", "inspector.png");

  @TempDir Path dataDirectory;

  @Test
  void aPushAppearsAndATokenKilledFromThePageIsRefusedNext() throws Exception {
    BrowserCheck.require();
    Files.deleteIfExists(SCREENSHOT);
    String token = LocalPushServerIT.apnsToken();
    try (LocalPushServer server = LocalPushServer.start(PushSettings.onFreePorts(dataDirectory))) {
      ApnsClient client = LocalPushServerIT.apnsClient(server, server.data().signingKey().p8File());
      int[] badge = {0};
      HttpServer trigger =
          BrowserCheck.trigger(
              () -> {
                Outcome outcome =
                    PushClients.push(client, token, PushSettings.DEFAULT_APNS_TOPIC, ++badge[0]);
                return outcome.accepted() ? "accepted" : "rejected " + outcome.reason();
              });
      try {
        BrowserCheck.run(
            Map.of(
                "INSPECTOR_URL",
                server.inspectorUri().toString(),
                "DEVICE_PLATFORM",
                "apns",
                "DEVICE_TOKEN",
                token,
                "TRIGGER_URL",
                BrowserCheck.triggerUrl(trigger),
                "EXPECT_FIRST",
                "accepted",
                "EXPECT_AFTER_DEAD",
                "Unregistered",
                "SCREENSHOT",
                SCREENSHOT.toAbsolutePath().toString()),
            Path.of("target", "inspector-check.log"));
      } finally {
        trigger.stop(0);
        PushClients.close(client);
      }

      List<Push> pushes = server.pushes().pushes();
      assertThat(pushes).hasSize(2);
      assertThat(pushes.get(0).rejection()).isEqualTo("Unregistered");
      assertThat(pushes.get(1).accepted()).isTrue();
    }
    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }
}
