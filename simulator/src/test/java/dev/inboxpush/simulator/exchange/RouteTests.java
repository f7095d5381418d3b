package dev.inboxpush.simulator.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RouteTests {

  @Test
  void aFailoverSwapsSchemeHostAndPortAndKeepsThePathAndQuery() {
    Route route = new Route();
    String callback = "http://127.0.0.1:8082/ews/v1/AbC-dEf_123?x=1%2B2";
    assertThat(route.target(callback)).isEqualTo(URI.create(callback));

    route.failOverTo(URI.create("https://listener.eu.example:8443"));

    assertThat(route.target(callback))
        .isEqualTo(URI.create("https://listener.eu.example:8443/ews/v1/AbC-dEf_123?x=1%2B2"));
    assertThat(route.failover()).isEqualTo(URI.create("https://listener.eu.example:8443"));
  }

  @Test
  void aRelativeBaseIsRefused() {
    assertThatThrownBy(() -> new Route().failOverTo(URI.create("/listener")))
        .hasMessageContaining("absolute");
  }
}
