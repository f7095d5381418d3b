package dev.inboxpush.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.Region;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.store.StoreException;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.StoreUnavailableException;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A table that stops answering: every call fails as unavailable, within the call timeout. */
class StoreUnavailableIT {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private Dynalite dynalite;
  private StoreSettings settings;
  private DynamoStore store;

  @BeforeEach
  void start() {
    // A private engine: this test stops it.
    dynalite = Dynalite.start();
    settings =
        new StoreSettings(
            "down-" + UUID.randomUUID(), true, dynalite.endpoint(), TIMEOUT, 0, 0, null);
    store = DynamoStore.open(settings, Region.US_EAST_1, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
    dynalite.close();
  }

  @Test
  void readsAndWritesFailAsUnavailableWhileTheEngineIsDown() {
    dynalite.stop();

    assertThatThrownBy(
            () ->
                store
                    .registrations()
                    .findById(RegistrationId.random())
                    .block(Duration.ofSeconds(10)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("DynamoDB GetItem(registration) failed");
    assertThatThrownBy(
            () ->
                store
                    .listenerState()
                    .setPending(
                        RegistrationId.random(), 1, dev.inboxpush.model.PushKind.NEW_MAIL, true)
                    .block(Duration.ofSeconds(10)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(store.isReachable(Duration.ofSeconds(2)).block(Duration.ofSeconds(10))).isFalse();
  }

  @Test
  void aMissingTableIsAPermanentFailureNotAnOutage() {
    dynalite.sharedClient().deleteTable(b -> b.tableName(settings.tableName())).join();

    assertThatThrownBy(
            () ->
                store
                    .registrations()
                    .findById(RegistrationId.random())
                    .block(Duration.ofSeconds(10)))
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Requested resource not found");
  }
}
