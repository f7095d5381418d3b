package dev.inboxpush.autoconfigure;

import dev.inboxpush.store.StoreSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.dynamodb.*}: how the services reach and use the table. Validated at start-up: a
 * value out of range stops the service with a message naming the key.
 *
 * @param tableName the table, one Global Table in production: 3 to 255 letters, digits, {@code _},
 *     {@code -} or {@code .} (default {@code inboxpush})
 * @param createTable create the table and its indexes when missing: for local runs and tests only;
 *     production tables come from infrastructure code and are only verified (default false)
 * @param endpoint a local engine's URL (dynalite); absent for AWS, where the default credential
 *     chain and endpoint apply
 * @param apiCallTimeout the bound on one store call including SDK retries, at least 10 ms (default
 *     2 s): a hung table becomes an error in time for the listener to answer Exchange
 * @param maxConcurrency the most requests in flight to DynamoDB, 1 to 10,000 (default 256)
 * @param pendingShards partitions of the pending-badge index, 1 to 64 (default 8)
 * @param listenerStateRetention how long listener state outlives its last write before TTL removes
 *     it, at least an hour (default 45 days, longer than a registration's lifetime)
 */
@ConfigurationProperties("inboxpush.dynamodb")
@Validated
public record DynamoDbProperties(
    @DefaultValue("inboxpush") @Pattern(regexp = "[A-Za-z0-9_.-]{3,255}") String tableName,
    @DefaultValue("false") boolean createTable,
    @Nullable URI endpoint,
    @DefaultValue("2s") @DurationMin(millis = 10) Duration apiCallTimeout,
    @DefaultValue("256") @Min(1) @Max(10_000) int maxConcurrency,
    @DefaultValue("8") @Min(1) @Max(64) int pendingShards,
    @DefaultValue("45d") @DurationMin(hours = 1) Duration listenerStateRetention) {

  /** The store's own settings. */
  public StoreSettings toStoreSettings() {
    return new StoreSettings(
        tableName,
        createTable,
        endpoint,
        apiCallTimeout,
        maxConcurrency,
        pendingShards,
        listenerStateRetention);
  }
}
