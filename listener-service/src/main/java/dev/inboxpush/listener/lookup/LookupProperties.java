package dev.inboxpush.listener.lookup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inboxpush.listener.lookup.*}: the callback-token cache.
 *
 * @param cacheSize most entries kept (default 100,000; an entry is about 1 KB)
 * @param positiveTtl how long a found registration is reused (default 30s): a token rotation or
 *     rebinding reaches this listener at most this late
 * @param negativeTtl how long "no such registration" is reused (default 5s); never trusted for an
 *     {@code Unsubscribe}, which always re-reads
 */
@ConfigurationProperties("inboxpush.listener.lookup")
public record LookupProperties(
    @DefaultValue("100000") long cacheSize,
    @DefaultValue("30s") Duration positiveTtl,
    @DefaultValue("5s") Duration negativeTtl) {

  public LookupProperties {
    if (cacheSize < 0) {
      throw new IllegalArgumentException(
          "inboxpush.listener.lookup.cache-size must not be negative");
    }
    if (positiveTtl.isNegative() || negativeTtl.isNegative()) {
      throw new IllegalArgumentException("inboxpush.listener.lookup TTLs must not be negative");
    }
  }
}
