package dev.inboxpush.store.dynamo;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegisterOutcome;
import dev.inboxpush.store.RegistrationIdentities;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.time.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A fresh table on the shared dynalite, opened through {@link DynamoStore} as the services open it,
 * with a clock the test moves. Also a raw client, to look at the items themselves.
 */
final class StoreFixture implements AutoCloseable {

  static final Duration LIFETIME = Duration.ofDays(30);
  static final AppId APP = AppId.of("com.example.mail");

  private static final SecureRandom RANDOM = new SecureRandom();

  final MutableClock clock = MutableClock.startingAt("2026-11-27T12:00:00Z");
  final StoreSettings settings;
  final DynamoStore store;
  final DynamoDbAsyncClient raw;

  StoreFixture(Dynalite dynalite) {
    this(dynalite, RegistrationIdentities.RANDOM);
  }

  /** A fresh table whose new registrations take their ids from {@code identities}. */
  StoreFixture(Dynalite dynalite, RegistrationIdentities identities) {
    settings =
        StoreSettings.of("t-" + UUID.randomUUID())
            .withEndpoint(dynalite.endpoint())
            .withCreateTable(true);
    raw = dynalite.sharedClient();
    store = DynamoStore.using(raw, settings, clock, identities);
  }

  /** Every {@code block} in the store tests is bounded by this. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static <T> T await(Mono<T> mono) {
    return mono.block(TIMEOUT);
  }

  static <T> List<T> await(Flux<T> flux) {
    return flux.collectList().block(TIMEOUT);
  }

  static OwnerHash owner() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return OwnerHash.of(HexFormat.of().formatHex(bytes));
  }

  static DeviceToken apnsToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return DeviceToken.of(Platform.APNS, HexFormat.of().formatHex(bytes));
  }

  static DeviceToken fcmToken() {
    return DeviceToken.of(Platform.FCM, "f" + UUID.randomUUID() + ":APA91b" + "x".repeat(140));
  }

  static NewRegistration request(OwnerHash owner, DeviceToken token) {
    return request(owner, token, null);
  }

  static NewRegistration request(
      OwnerHash owner, DeviceToken token, @Nullable SubscriptionBinding binding) {
    return new NewRegistration(
        owner,
        APP,
        token.platform() == Platform.APNS ? ApnsEnvironment.PRODUCTION : null,
        token,
        Region.EU_WEST_1,
        binding,
        LIFETIME);
  }

  /**
   * {@code writers} registrations of {@code request} started at the same instant, their outcomes.
   */
  static List<RegisterOutcome> registerConcurrently(
      RegistrationStore store, NewRegistration request, int writers) throws Exception {
    return registerConcurrently(store, java.util.Collections.nCopies(writers, request));
  }

  /** The registrations of {@code requests} started at the same instant, their outcomes in order. */
  static List<RegisterOutcome> registerConcurrently(
      RegistrationStore store, List<NewRegistration> requests) throws Exception {
    int writers = requests.size();
    CountDownLatch ready = new CountDownLatch(writers);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<RegisterOutcome>> results = new ArrayList<>();
      for (NewRegistration request : requests) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return await(store.register(request));
                }));
      }
      if (!ready.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the writers did not start");
      }
      go.countDown();
      List<RegisterOutcome> outcomes = new ArrayList<>();
      for (Future<RegisterOutcome> result : results) {
        outcomes.add(result.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every item in the table (tests only: the store itself never scans). */
  List<Map<String, AttributeValue>> allItems() {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    raw.scanPaginator(ScanRequest.builder().tableName(settings.tableName()).build())
        .items()
        .subscribe(items::add)
        .join();
    return items;
  }

  /** Items whose sort key is {@code sk}. */
  List<Map<String, AttributeValue>> items(String sk) {
    return allItems().stream().filter(item -> item.get(TableLayout.SK).s().equals(sk)).toList();
  }

  @Override
  public void close() {
    raw.deleteTable(b -> b.tableName(settings.tableName())).join();
    store.close();
  }
}
