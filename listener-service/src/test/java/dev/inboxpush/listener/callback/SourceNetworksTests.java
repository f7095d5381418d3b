package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

class SourceNetworksTests {

  private static SourceNetworks networks(List<String> allowed, List<String> proxies) {
    return new SourceNetworks(
        new CallbackProperties(DataSize.ofMegabytes(1), allowed, proxies, false, 100, 60));
  }

  private static InetSocketAddress peer(String address) {
    return new InetSocketAddress(address, 443);
  }

  @Test
  void withoutAnAllowListEverySourceMayPost() {
    SourceNetworks open = networks(List.of(), List.of());

    assertThat(open.restricted()).isFalse();
    assertThat(open.permits(peer("203.0.113.9"), "garbage")).isTrue();
    assertThat(open.permits(null, null)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      textBlock =
          """
          # peer,        X-Forwarded-For,              permitted
          10.1.2.3,      null,                         true
          2001:db8::7,   null,                         true
          192.0.2.1,     null,                         false
          192.0.2.1,     10.1.2.3,                     false
          127.0.0.1,     10.1.2.3,                     true
          127.0.0.1,     '192.0.2.1, 10.1.2.3',        true
          127.0.0.1,     '10.1.2.3, 192.0.2.1',        false
          127.0.0.1,     '10.9.9.9, 127.0.0.2',        true
          127.0.0.1,     'evil.example',               false
          127.0.0.1,     '10.1.2.3, not-an-ip',        false
          127.0.0.1,     null,                         false
          """)
  void theAllowListUsesForwardedForOnlyFromTrustedProxies(
      String peer, String forwardedFor, boolean permitted) {
    SourceNetworks networks =
        networks(List.of("10.0.0.0/8", "2001:db8::/32"), List.of("127.0.0.0/8"));

    assertThat(networks.permits(peer(peer), forwardedFor)).isEqualTo(permitted);
  }

  @Test
  void aMalformedBlockStopsStartUpNamingTheSetting() {
    assertThatThrownBy(() -> networks(List.of("10.0.0.0/8", "not a network"), List.of()))
        .hasMessage(
            "inboxpush.listener.callback.allowed-networks: 'not a network' is not a CIDR block");
  }
}
