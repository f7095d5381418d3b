package dev.inboxpush.local.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PushSettingsTests {

  @Test
  void theDefaultsAreThePlansPortsOnLoopback() {
    PushSettings settings = PushSettings.fromEnvironment(Map.of());

    assertThat(settings.address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.dataDirectory()).isEqualTo(Path.of(".local/push").toAbsolutePath());
    assertThat(settings.apnsPort()).isEqualTo(8443);
    assertThat(settings.fcmPort()).isEqualTo(8444);
    assertThat(settings.inspectorPort()).isEqualTo(8090);
    assertThat(settings.apnsTopics()).containsExactly("dev.inboxpush.example");
    assertThat(settings.apnsKeyId()).isEqualTo("LOCALKEY01");
    assertThat(settings.fcmProjects()).containsExactly("inboxpush-local");
    assertThat(settings.hostNames()).isEmpty();
  }

  @Test
  void theFakeFcmAnswersAtOnceUnlessALatencyIsSet() {
    assertThat(PushSettings.fromEnvironment(Map.of()).fcmLatency()).isZero();
    assertThat(PushSettings.fromEnvironment(Map.of("LOCAL_FCM_LATENCY_MS", "50")).fcmLatency())
        .isEqualTo(Duration.ofMillis(50));
    assertThatThrownBy(() -> PushSettings.fromEnvironment(Map.of("LOCAL_FCM_LATENCY_MS", "fast")))
        .hasMessageStartingWith("LOCAL_FCM_LATENCY_MS: ");
    assertThatThrownBy(() -> PushSettings.fromEnvironment(Map.of("LOCAL_FCM_LATENCY_MS", "60001")))
        .hasMessageStartingWith("LOCAL_FCM_LATENCY_MS: must be 0 to 60000");
  }

  @Test
  void furtherHostNamesAreDnsNames() {
    assertThat(
            PushSettings.fromEnvironment(Map.of("LOCAL_PUSH_HOSTNAMES", "push, push.internal"))
                .hostNames())
        .containsExactly("push", "push.internal");
    assertThatThrownBy(
            () -> PushSettings.fromEnvironment(Map.of("LOCAL_PUSH_HOSTNAMES", "push,-bad_name")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("LOCAL_PUSH_HOSTNAMES: ")
        .hasMessageContaining("-bad_name");
  }

  @Test
  void everyVariableIsRead() {
    PushSettings settings =
        PushSettings.fromEnvironment(
            Map.of(
                "LOCAL_PUSH_ADDRESS", "0.0.0.0",
                "LOCAL_PUSH_DATA_DIR", "/var/lib/inboxpush/push",
                "LOCAL_APNS_PORT", "0",
                "LOCAL_FCM_PORT", "9444",
                "LOCAL_INSPECTOR_PORT", "9090",
                "LOCAL_APNS_TOPICS",
                    " dev.inboxpush.example , com.example.mail.voip,dev.inboxpush.example",
                "LOCAL_APNS_KEY_ID", "ABCDE12345",
                "LOCAL_FCM_PROJECTS", "inboxpush-local,other-project-1"));

    assertThat(settings.address().isAnyLocalAddress()).isTrue();
    assertThat(settings.dataDirectory()).isEqualTo(Path.of("/var/lib/inboxpush/push"));
    assertThat(settings.apnsPort()).isZero();
    assertThat(settings.fcmPort()).isEqualTo(9444);
    assertThat(settings.inspectorPort()).isEqualTo(9090);
    assertThat(settings.apnsTopics())
        .containsExactly("dev.inboxpush.example", "com.example.mail.voip");
    assertThat(settings.apnsKeyId()).isEqualTo("ABCDE12345");
    assertThat(settings.fcmProjects()).containsExactly("inboxpush-local", "other-project-1");
  }

  @Test
  void blankValuesMeanTheDefault() {
    PushSettings settings =
        PushSettings.fromEnvironment(Map.of("LOCAL_APNS_PORT", " ", "LOCAL_APNS_TOPICS", ""));

    assertThat(settings.apnsPort()).isEqualTo(8443);
    assertThat(settings.apnsTopics()).containsExactly("dev.inboxpush.example");
  }

  @Test
  void freePortsMayAllBeZero() {
    PushSettings settings = PushSettings.onFreePorts(Path.of("/tmp/push"));

    assertThat(settings.apnsPort()).isZero();
    assertThat(settings.fcmPort()).isZero();
    assertThat(settings.inspectorPort()).isZero();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          LOCAL_PUSH_ADDRESS   | localhost               | LOCAL_PUSH_ADDRESS: an IP address
          LOCAL_APNS_PORT      | 70000                   | LOCAL_APNS_PORT: must be 0 to 65535
          LOCAL_APNS_PORT      | -1                      | LOCAL_APNS_PORT: must be 0 to 65535
          LOCAL_FCM_PORT       | eight                   | LOCAL_FCM_PORT: must be a number
          LOCAL_INSPECTOR_PORT | 8443                    | LOCAL_APNS_PORT, LOCAL_FCM_PORT, LOCAL_INSPECTOR_PORT: each server needs its own port
          LOCAL_APNS_TOPICS    | dev inboxpush           | LOCAL_APNS_TOPICS: each must be a bundle id
          LOCAL_APNS_TOPICS    | example                 | LOCAL_APNS_TOPICS: each must be a bundle id
          LOCAL_APNS_TOPICS    | ','                     | LOCAL_APNS_TOPICS: at least one topic
          LOCAL_APNS_KEY_ID    | localkey01              | LOCAL_APNS_KEY_ID: ten upper-case letters or digits
          LOCAL_APNS_KEY_ID    | KEY1                    | LOCAL_APNS_KEY_ID: ten upper-case letters or digits
          LOCAL_FCM_PROJECTS   | Inboxpush               | LOCAL_FCM_PROJECTS: each must be a Firebase project id
          LOCAL_FCM_PROJECTS   | ../../etc/passwd        | LOCAL_FCM_PROJECTS: each must be a Firebase project id
          LOCAL_FCM_PROJECTS   | ','                     | LOCAL_FCM_PROJECTS: at least one project id
          """)
  void aBadValueStopsStartUpNamingTheVariable(String variable, String value, String message) {
    assertThatThrownBy(() -> PushSettings.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
