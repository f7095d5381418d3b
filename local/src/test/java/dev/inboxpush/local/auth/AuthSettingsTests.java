package dev.inboxpush.local.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthSettingsTests {

  @Test
  void theDefaultsListenOnLoopbackPort9000WithTheIssuerNamingIt() {
    AuthSettings settings = AuthSettings.fromEnvironment(Map.of());

    assertThat(settings.address().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(9000);
    assertThat(settings.onPort(settings.port()).issuer()).isEqualTo("http://127.0.0.1:9000");
    assertThat(settings.dataDirectory()).isEqualTo(Path.of(".local/auth").toAbsolutePath());
    assertThat(settings.redirectUris()).containsExactly("http://127.0.0.1/callback");
    assertThat(settings.scriptClientSecret()).isNull();
  }

  @Test
  void everyVariableIsRead() {
    AuthSettings settings =
        AuthSettings.fromEnvironment(
            Map.of(
                "LOCAL_AUTH_PORT", "9100",
                "LOCAL_AUTH_ADDRESS", "0.0.0.0",
                "LOCAL_AUTH_ISSUER", "http://auth.internal:9100",
                "LOCAL_AUTH_DATA_DIR", "/var/lib/inboxpush/auth",
                "LOCAL_AUTH_REDIRECT_URIS",
                    " http://127.0.0.1/callback , dev.inboxpush.app:/oauth2redirect ",
                "LOCAL_AUTH_SCRIPT_CLIENT_SECRET", "s3cret-from-a-vault"));

    assertThat(settings.port()).isEqualTo(9100);
    assertThat(settings.address().isAnyLocalAddress()).isTrue();
    assertThat(settings.onPort(9100).issuer()).isEqualTo("http://auth.internal:9100");
    assertThat(settings.dataDirectory()).isEqualTo(Path.of("/var/lib/inboxpush/auth"));
    assertThat(settings.redirectUris())
        .containsExactly("http://127.0.0.1/callback", "dev.inboxpush.app:/oauth2redirect");
    assertThat(settings.scriptClientSecret()).isEqualTo("s3cret-from-a-vault");
  }

  @Test
  void onAnyAddressTheDefaultIssuerIsLoopback() {
    AuthSettings settings = AuthSettings.fromEnvironment(Map.of("LOCAL_AUTH_ADDRESS", "0.0.0.0"));

    assertThat(settings.onPort(9000).issuer()).isEqualTo("http://127.0.0.1:9000");
  }

  @Test
  void portZeroGetsItsIssuerOnceBound() {
    AuthSettings settings = AuthSettings.onFreePort(Path.of("/tmp/x"));

    assertThat(settings.issuer()).isNull();
    assertThat(settings.onPort(41234).issuer()).isEqualTo("http://127.0.0.1:41234");
    assertThat(settings.onPort(41234).port()).isEqualTo(41234);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          LOCAL_AUTH_PORT          | 70000                      | LOCAL_AUTH_PORT: must be 0 to 65535
          LOCAL_AUTH_PORT          | nine                       | LOCAL_AUTH_PORT: must be a number
          LOCAL_AUTH_ADDRESS       | localhost                  | LOCAL_AUTH_ADDRESS: an IP address
          LOCAL_AUTH_ISSUER        | http://127.0.0.1:9000/     | LOCAL_AUTH_ISSUER: an http(s) URL without
          LOCAL_AUTH_ISSUER        | ftp://127.0.0.1            | LOCAL_AUTH_ISSUER: an http(s) URL without
          LOCAL_AUTH_ISSUER        | http://127.0.0.1:9000?x=1  | LOCAL_AUTH_ISSUER: an http(s) URL without
          LOCAL_AUTH_ISSUER        | not a url                  | LOCAL_AUTH_ISSUER: not a URI
          LOCAL_AUTH_REDIRECT_URIS | /callback                  | LOCAL_AUTH_REDIRECT_URIS: each must be an absolute URI
          LOCAL_AUTH_REDIRECT_URIS | http://127.0.0.1/cb#frag   | LOCAL_AUTH_REDIRECT_URIS: each must be an absolute URI
          LOCAL_AUTH_REDIRECT_URIS | http://localhost/callback  | LOCAL_AUTH_REDIRECT_URIS: use 127.0.0.1 instead of localhost
          """)
  void aBadValueStopsStartUpNamingTheVariable(String variable, String value, String message) {
    assertThatThrownBy(() -> AuthSettings.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aBlankSecretIsRefusedRatherThanUsed() {
    assertThatThrownBy(
            () ->
                new AuthSettings(
                    java.net.InetAddress.getLoopbackAddress(),
                    0,
                    null,
                    Path.of("/tmp/x"),
                    List.of(AuthSettings.DEFAULT_REDIRECT_URI),
                    " "))
        .hasMessageStartingWith("LOCAL_AUTH_SCRIPT_CLIENT_SECRET: is blank");
  }
}
