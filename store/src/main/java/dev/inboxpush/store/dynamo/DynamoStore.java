package dev.inboxpush.store.dynamo;

import dev.inboxpush.model.Region;
import dev.inboxpush.store.ListenerStateStore;
import dev.inboxpush.store.RegistrationIdentities;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.StoreSettings;
import dev.inboxpush.store.TableCall;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The store as a service opens it: one client, the table bootstrapped or verified, both store
 * views.
 *
 * <p>Lifecycle: {@link #open} blocks until the table is verified (or created, when configured) and
 * throws {@link dev.inboxpush.store.StoreSchemaException} when it is missing or wrong; {@link
 * #close()} closes the client if the store opened it. Thread-safe.
 */
public final class DynamoStore implements AutoCloseable {

  private final DynamoDbAsyncClient client;
  private final boolean ownsClient;
  private final StoreSettings settings;
  private final RegistrationStore registrations;
  private final ListenerStateStore listenerState;

  private DynamoStore(
      DynamoDbAsyncClient client,
      boolean ownsClient,
      StoreSettings settings,
      RegistrationIdentities identities,
      Clock clock) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.settings = settings;
    this.registrations = new DynamoRegistrationStore(client, settings, identities, clock);
    this.listenerState = new DynamoListenerStateStore(client, settings, clock);
  }

  /**
   * Connects to the table replica in {@code region}, creates the table if configured to, and
   * verifies it.
   */
  public static DynamoStore open(StoreSettings settings, Region region, Clock clock) {
    return open(settings, region, clock, TableCall.Listener.NONE);
  }

  /** Like {@link #open(StoreSettings, Region, Clock)}, telling {@code calls} of every call made. */
  public static DynamoStore open(
      StoreSettings settings, Region region, Clock clock, TableCall.Listener calls) {
    return open(settings, region, clock, calls, RegistrationIdentities.RANDOM);
  }

  /**
   * Like {@link #open(StoreSettings, Region, Clock, TableCall.Listener)}, new registrations taking
   * their ids and callback tokens from {@code identities} (the registration API's, repeatable in
   * every region).
   */
  public static DynamoStore open(
      StoreSettings settings,
      Region region,
      Clock clock,
      TableCall.Listener calls,
      RegistrationIdentities identities) {
    DynamoDbAsyncClient client =
        DynamoClients.create(
            region.code(),
            settings.endpoint(),
            settings.apiCallTimeout(),
            settings.maxConcurrency(),
            calls);
    try {
      new TableBootstrap(client, settings).run();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return new DynamoStore(client, true, settings, identities, clock);
  }

  /**
   * Like {@link #open}, on a client the caller owns and closes (tests share one client across many
   * tables; closing a client costs seconds).
   */
  public static DynamoStore using(DynamoDbAsyncClient client, StoreSettings settings, Clock clock) {
    return using(client, settings, clock, RegistrationIdentities.RANDOM);
  }

  /** Like {@link #using(DynamoDbAsyncClient, StoreSettings, Clock)}, with {@code identities}. */
  public static DynamoStore using(
      DynamoDbAsyncClient client,
      StoreSettings settings,
      Clock clock,
      RegistrationIdentities identities) {
    new TableBootstrap(client, settings).run();
    return new DynamoStore(client, false, settings, identities, clock);
  }

  public RegistrationStore registrations() {
    return registrations;
  }

  public ListenerStateStore listenerState() {
    return listenerState;
  }

  /**
   * Whether the table answers now (a DescribeTable within {@code timeout}): for readiness checks.
   * Never fails; emits false instead.
   */
  public Mono<Boolean> isReachable(Duration timeout) {
    return Mono.fromFuture(() -> client.describeTable(b -> b.tableName(settings.tableName())))
        .map(response -> true)
        .timeout(timeout)
        .onErrorReturn(false);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
