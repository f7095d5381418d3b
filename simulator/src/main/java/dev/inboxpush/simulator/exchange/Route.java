package dev.inboxpush.simulator.exchange;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Where Exchange's POSTs go: to each callback URL as the registration API gave it, or, after a
 * failover (as a DNS failover of the listener's hostname moves Exchange's traffic), to the same
 * path and query on another region's listener: the URL's scheme, host and port swapped for that
 * base. Thread-safe: the base may change while POSTs are in flight; each POST reads it when sent.
 */
public final class Route {

  private volatile @Nullable URI failover;

  /** From now on, POSTs go to {@code listenerBase} (e.g. {@code http://127.0.0.1:8182}). */
  public void failOverTo(URI listenerBase) {
    if (listenerBase.getScheme() == null || listenerBase.getHost() == null) {
      throw new IllegalArgumentException("a listener base URL is absolute: " + listenerBase);
    }
    this.failover = listenerBase;
  }

  /** The listener base POSTs were moved to, or null while they go where the URLs say. */
  public @Nullable URI failover() {
    return failover;
  }

  /** Where a POST for {@code callbackUrl} goes now. */
  public URI target(String callbackUrl) {
    URI original = URI.create(callbackUrl);
    URI base = failover;
    if (base == null) {
      return original;
    }
    try {
      return new URI(
              base.getScheme(),
              original.getRawUserInfo(),
              base.getHost(),
              base.getPort(),
              null,
              null,
              null)
          .resolve(
              original.getRawPath()
                  + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot move " + base + " onto a callback URL", e);
    }
  }
}
