package dev.inboxpush.benchmark.endtoend;

import dev.inboxpush.local.stack.LocalStack;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The bound registrations of one platform, made through the store's public API ({@link
 * RegistrationStore#register}); their callback tokens are what the store returned. Some devices
 * have several accounts (every tenth two, every twentieth three), each its own registration and
 * subscription. Each POST carries a new-mail event and the inbox's unread count, which grows by one
 * per POST to that registration, so that every POST changes the device's badge and must push.
 *
 * <p>Thread-safe: the pickers are called from the load generator's threads.
 */
final class Registrations {

  /** The inbox every subscription watches. */
  static final String INBOX = "AQMkInboxFolderBench=";

  /** How long the listener reuses a looked-up registration (its default positive TTL). */
  static final Duration LOOKUP_TTL = Duration.ofSeconds(30);

  private final String label;
  private final String[] tokens;
  private final String[] subscriptions;
  private final int devices;
  private final AtomicIntegerArray counts;
  private final int[] order;
  private final AtomicLong cursor = new AtomicLong();
  private final AtomicLongArray lastUsed;
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong warmCursor = new AtomicLong();

  private Registrations(String label, String[] tokens, String[] subscriptions, int devices) {
    this.label = label;
    this.tokens = tokens;
    this.subscriptions = subscriptions;
    this.devices = devices;
    this.counts = new AtomicIntegerArray(tokens.length);
    this.lastUsed = new AtomicLongArray(tokens.length);
    this.order = new int[tokens.length];
    List<Integer> shuffled = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      shuffled.add(i);
    }
    // Accounts of one device are registered next to each other: spread them out.
    java.util.Collections.shuffle(shuffled, new Random(17));
    for (int i = 0; i < order.length; i++) {
      order[i] = shuffled.get(i);
    }
  }

  /** How many accounts device number {@code device} has. */
  static int accountsOf(int device) {
    return device % 20 == 0 ? 3 : device % 10 == 0 ? 2 : 1;
  }

  /** Registers {@code count} registrations of {@code platform} in {@code region}. */
  static Registrations register(
      RegistrationStore store, Platform platform, int count, Region region, String prefix) {
    String[] tokens = new String[count];
    String[] subscriptions = new String[count];
    List<int[]> plan = new ArrayList<>(); // {registration, device}
    int device = 0;
    while (plan.size() < count) {
      for (int a = 0; a < accountsOf(device) && plan.size() < count; a++) {
        plan.add(new int[] {plan.size(), device});
      }
      device++;
    }
    SecureRandom random = new SecureRandom();
    String[] deviceTokens = new String[device];
    for (int d = 0; d < device; d++) {
      byte[] bytes = new byte[platform == Platform.APNS ? 32 : 96];
      random.nextBytes(bytes);
      deviceTokens[d] =
          platform == Platform.APNS
              ? HexFormat.of().formatHex(bytes)
              : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    Flux.fromIterable(plan)
        .flatMap(
            entry -> {
              int i = entry[0];
              byte[] owner = new byte[32];
              ThreadLocalRandom.current().nextBytes(owner);
              subscriptions[i] = prefix + "-sub-" + i;
              return store
                  .register(
                      new NewRegistration(
                          OwnerHash.of(HexFormat.of().formatHex(owner)),
                          AppId.of(
                              platform == Platform.APNS
                                  ? LocalStack.APNS_TOPIC
                                  : LocalStack.FCM_PROJECT),
                          platform == Platform.APNS ? ApnsEnvironment.PRODUCTION : null,
                          DeviceToken.of(platform, deviceTokens[entry[1]]),
                          region,
                          SubscriptionBinding.of(
                              SubscriptionId.of(subscriptions[i]),
                              FolderId.of(INBOX),
                              new StatusFrequency(30)),
                          Duration.ofDays(30)))
                  .retryWhen(Retry.backoff(5, Duration.ofSeconds(1)))
                  .doOnNext(outcome -> tokens[i] = outcome.registration().callbackToken().value());
            },
            16)
        .blockLast(Duration.ofMinutes(30));
    for (String token : tokens) {
      if (token == null) {
        throw new IllegalStateException(prefix + ": a registration returned no callback token");
      }
    }
    return new Registrations(prefix, tokens, subscriptions, device);
  }

  int size() {
    return tokens.length;
  }

  int devices() {
    return devices;
  }

  /**
   * POSTs to every registration in turn (a fixed shuffled order), so that one registration is
   * POSTed to again only after all others: at a rate below {@code size() / 30 s} every POST misses
   * the listener's lookup cache. A POST to a registration used less than {@link #LOOKUP_TTL} ago is
   * counted in {@link #reused}.
   */
  Traffic.Posts cold() {
    return () -> {
      int i = order[(int) (cursor.getAndIncrement() % order.length)];
      long now = System.nanoTime();
      long before = lastUsed.getAndSet(i, now);
      if (before != 0 && now - before < LOOKUP_TTL.toNanos() + 1_000_000_000L) {
        reused.incrementAndGet();
      }
      return post(i);
    };
  }

  /**
   * POSTs in turn to the first {@code few} registrations of the same order only: after the first
   * pass every lookup is a cache hit. Round-robin, so that no registration has two POSTs in flight.
   */
  Traffic.Posts warm(int few) {
    int size = Math.min(few, order.length);
    return () -> post(order[(int) (warmCursor.getAndIncrement() % size)]);
  }

  /** The same kind of body to a token that cannot exist, or to the trivial endpoint. */
  Traffic.Posts unregistered(String token) {
    return () -> {
      int i = ThreadLocalRandom.current().nextInt(tokens.length);
      return new Traffic.Post(
          "/ews/v1/" + token,
          EwsPayloads.notification(subscriptions[i])
              .newMail("item", INBOX)
              .folderModified(INBOX, ThreadLocalRandom.current().nextInt(100))
              .build());
    };
  }

  /** POSTs of {@link #cold()} so far that went to a registration used within the cache's TTL. */
  long reused() {
    return reused.get();
  }

  String label() {
    return label;
  }

  private Traffic.Post post(int i) {
    return new Traffic.Post(
        "/ews/v1/" + tokens[i],
        EwsPayloads.notification(subscriptions[i])
            .newMail("item-" + counts.get(i), INBOX)
            .folderModified(INBOX, counts.incrementAndGet(i))
            .build());
  }
}
