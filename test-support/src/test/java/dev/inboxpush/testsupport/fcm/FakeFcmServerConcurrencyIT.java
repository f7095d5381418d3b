package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests in flight at once (counted from arrival until the answer is written), and a test thread
 * waiting for requests that firebase-admin sends asynchronously.
 */
class FakeFcmServerConcurrencyIT extends FakeFcmServerITSupport {

  @Test
  void measuresHowManyRequestsAreInFlightAtOnce() throws Exception {
    server.setLatency(Duration.ofMillis(200));
    List<ApiFuture<String>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(messaging.sendAsync(badge("token-concurrent-" + i)));
    }
    ApiFutures.allAsList(sends).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(server.accepted()).isEqualTo(20);
    assertThat(server.maxInFlight()).isBetween(2, 20);
    assertThat(server.inFlight()).isZero();

    server.resetCounters();
    send(badge("token-sequential-1"));
    send(badge("token-sequential-2"));

    assertThat(server.maxInFlight()).isEqualTo(1);
    assertThat(server.received()).isEqualTo(2);
  }

  @Test
  void awaitingRequestsTimesOut() {
    assertThatThrownBy(() -> server.awaitRequests(1, Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected at least 1 FCM requests");
  }

  @Test
  void awaitingRequestsReturnsOnceTheyArrive() throws Exception {
    ApiFuture<String> sent = messaging.sendAsync(badge("token-awaited"));

    assertThat(server.awaitRequests(1, TIMEOUT))
        .singleElement()
        .extracting(FcmRequest::token)
        .isEqualTo("token-awaited");
    sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
