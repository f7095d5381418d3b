package dev.inboxpush.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The CDK context an operator passes, read and checked before anything is defined. */
class DeploymentTests {

  private static final Map<String, Object> GOOD =
      Map.of(
          "domain", "push.example.net",
          "hostedZoneId", "Z0123456789ABCDEFGHIJ",
          "issuerUri", "https://login.example.net",
          "imageTag", "0.1.0-abc1234",
          "apnsApps",
              "com.example.mail:ABC123DEFG:DEF123GHIJ, com.example.other:XYZ987WVUT:DEF123GHIJ",
          "apnsCertificateApps", "com.example.legacy",
          "fcmProjects", "example-mail");

  private static Deployment read(Map<String, Object> context) {
    return Deployment.fromContext(new App(AppProps.builder().context(context).build()).getNode());
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> context = new HashMap<>(GOOD);
    if (value == null) {
      context.remove(key);
    } else {
      context.put(key, value);
    }
    return context;
  }

  @Test
  void readsEveryValueWithItsDefaults() {
    Deployment deployment = read(GOOD);
    assertThat(deployment.apnsApps())
        .containsExactly(
            new Deployment.ApnsApp("com.example.mail", "ABC123DEFG", "DEF123GHIJ"),
            new Deployment.ApnsApp("com.example.other", "XYZ987WVUT", "DEF123GHIJ"));
    assertThat(deployment.apnsCertificateApps()).containsExactly("com.example.legacy");
    assertThat(Deployment.apnsCertificateSecretName("com.example.legacy"))
        .isEqualTo("inboxpush/apns/com.example.legacy");
    assertThat(read(with("apnsCertificateApps", null)).apnsCertificateApps()).isEmpty();
    assertThat(deployment.fcmProjects()).isEqualTo(List.of("example-mail"));
    assertThat(deployment.tableName()).isEqualTo("inboxpush");
    assertThat(deployment.collectorImage()).isEqualTo(Deployment.DEFAULT_COLLECTOR_IMAGE);
    // Unset: the listener's own default (60 s) applies.
    assertThat(deployment.replicationAllowance()).isNull();
    assertThat(read(with("replicationAllowance", "10m")).replicationAllowance())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(read(with("replicationAllowance", "90s")).replicationAllowance())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(read(with("replicationAllowance", "0s")).replicationAllowance())
        .isEqualTo(Duration.ZERO);
    assertThat(read(with("replicationAllowance", "30m")).replicationAllowance())
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(deployment.listenerHost(Region.EU_WEST_1))
        .isEqualTo("mailboxlistener.eu-west-1.push.example.net");
    assertThat(deployment.registrationHost(Region.AP_SOUTHEAST_1))
        .isEqualTo("pushreg.ap-southeast-1.push.example.net");
  }

  @Test
  void aMissingRequiredValueNamesTheContextKey() {
    for (String key : List.of("domain", "hostedZoneId", "issuerUri", "imageTag")) {
      assertThatThrownBy(() -> read(with(key, null)))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("context " + key + " is required")
          .hasMessageContaining("-c " + key + "=");
    }
  }

  @Test
  void malformedValuesAreRefusedSayingWhatIsExpected() {
    assertThatThrownBy(() -> read(with("imageTag", "latest"))).hasMessageContaining("not latest");
    assertThatThrownBy(() -> read(with("domain", "Push.Example.NET.")))
        .hasMessageContaining("context domain");
    assertThatThrownBy(() -> read(with("issuerUri", "http://login.example.net")))
        .hasMessageContaining("context issuerUri");
    assertThatThrownBy(() -> read(with("hostedZoneId", "example")))
        .hasMessageContaining("context hostedZoneId");
    assertThatThrownBy(() -> read(with("apnsApps", "com.example.mail:ABC123DEFG")))
        .hasMessageContaining("topic:keyId:teamId");
    assertThatThrownBy(() -> read(with("apnsApps", "com.example.mail:short:DEF123GHIJ")))
        .hasMessageContaining("10 characters");
    assertThatThrownBy(() -> read(with("apnsCertificateApps", "legacy")))
        .hasMessageContaining("context apnsCertificateApps: 'legacy' is no bundle id");
    assertThatThrownBy(() -> read(with("apnsCertificateApps", "com.example.mail")))
        .hasMessageContaining("a token or a certificate, not both");
    assertThatThrownBy(() -> read(with("apnsCertificateApps", "com.example.a, com.example.a")))
        .hasMessageContaining("a bundle id twice");
    for (String allowance : List.of("10", "1h", "-1s", "PT10M", "10 m", "1.5m")) {
      assertThatThrownBy(() -> read(with("replicationAllowance", allowance)))
          .as(allowance)
          .hasMessageContaining("context replicationAllowance: seconds or minutes");
    }
    assertThatThrownBy(() -> read(with("replicationAllowance", "31m")))
        .hasMessageContaining("context replicationAllowance: 0s to 30m");
    assertThatThrownBy(() -> read(with("replicationAllowance", "1801s")))
        .hasMessageContaining("context replicationAllowance: 0s to 30m");
    assertThatThrownBy(() -> read(with("fcmProjects", "Not_A_Project")))
        .hasMessageContaining("not a Firebase project id");
  }
}
