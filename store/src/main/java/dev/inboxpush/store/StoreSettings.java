package dev.inboxpush.store;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the store reaches and uses its table: the values under {@code inboxpush.dynamodb.*}, which
 * each service binds into this record. Missing values take the defaults documented per field.
 *
 * @param tableName the DynamoDB table, one Global Table in production (default {@code inboxpush})
 * @param createTable create the table and its indexes at start-up when missing: for local runs and
 *     tests only; production tables come from infrastructure code and are only verified (default
 *     false)
 * @param endpoint a local DynamoDB engine's URL (dynalite); absent for AWS, where the default
 *     credential chain applies
 * @param apiCallTimeout the bound on one store call including SDK retries (default 2 s): a hung
 *     table becomes an error in time for the listener to answer Exchange
 * @param maxConcurrency the most requests in flight to DynamoDB (default 256)
 * @param pendingShards partitions of the pending-badge index, 1 to 64 (default 8): more spread
 *     writes, fewer make the redelivery worker's queries cheaper
 * @param listenerStateRetention how long listener state outlives its last write before TTL removes
 *     it (default 45 days, longer than a registration's lifetime)
 */
public record StoreSettings(
    String tableName,
    boolean createTable,
    @Nullable URI endpoint,
    Duration apiCallTimeout,
    int maxConcurrency,
    int pendingShards,
    Duration listenerStateRetention) {

  public StoreSettings(
      @Nullable String tableName,
      boolean createTable,
      @Nullable URI endpoint,
      @Nullable Duration apiCallTimeout,
      int maxConcurrency,
      int pendingShards,
      @Nullable Duration listenerStateRetention) {
    this.tableName = tableName == null ? "inboxpush" : tableName;
    this.createTable = createTable;
    this.endpoint = endpoint;
    this.apiCallTimeout = apiCallTimeout == null ? Duration.ofSeconds(2) : apiCallTimeout;
    this.maxConcurrency = maxConcurrency == 0 ? 256 : maxConcurrency;
    this.pendingShards = pendingShards == 0 ? 8 : pendingShards;
    this.listenerStateRetention =
        listenerStateRetention == null ? Duration.ofDays(45) : listenerStateRetention;
    if (!this.tableName.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          "inboxpush.dynamodb.table-name must be 3 to 255 letters, digits, '_', '-' or '.'");
    }
    if (this.apiCallTimeout.isNegative() || this.apiCallTimeout.toMillis() < 10) {
      throw new IllegalArgumentException(
          "inboxpush.dynamodb.api-call-timeout must be at least 10ms");
    }
    if (this.maxConcurrency < 1) {
      throw new IllegalArgumentException("inboxpush.dynamodb.max-concurrency must be positive");
    }
    if (this.pendingShards < 1 || this.pendingShards > 64) {
      throw new IllegalArgumentException("inboxpush.dynamodb.pending-shards must be 1 to 64");
    }
    if (this.listenerStateRetention.toHours() < 1) {
      throw new IllegalArgumentException(
          "inboxpush.dynamodb.listener-state-retention must be at least one hour");
    }
  }

  /** Defaults for table {@code tableName} on AWS, not created by the application. */
  public static StoreSettings of(String tableName) {
    return new StoreSettings(tableName, false, null, null, 0, 0, null);
  }

  /** A copy that creates the table when missing. */
  public StoreSettings withCreateTable(boolean create) {
    return new StoreSettings(
        tableName,
        create,
        endpoint,
        apiCallTimeout,
        maxConcurrency,
        pendingShards,
        listenerStateRetention);
  }

  /** A copy that talks to a local engine at {@code url}. */
  public StoreSettings withEndpoint(URI url) {
    return new StoreSettings(
        tableName,
        createTable,
        url,
        apiCallTimeout,
        maxConcurrency,
        pendingShards,
        listenerStateRetention);
  }
}
