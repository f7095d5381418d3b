package dev.inboxpush.listener.callback;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request comes from an allowed network, optionally through trusted proxies
 * ({@link CallbackProperties}). Addresses and CIDR blocks are parsed by the IPAddress library (IPv4
 * and IPv6), which never resolves host names, so a forged header cannot trigger a DNS lookup. Every
 * POST's client address is resolved here (for the unknown-token budget too). Thread-safe and
 * immutable; built once at start-up, where a malformed block stops the service with a message
 * naming the setting.
 */
final class SourceNetworks {

  private final List<IPAddress> allowed;
  private final List<IPAddress> proxies;

  SourceNetworks(CallbackProperties properties) {
    this.allowed = blocks("allowed-networks", properties.allowedNetworks());
    this.proxies = blocks("trusted-proxies", properties.trustedProxies());
    // The library's first use loads its classes and message bundles (file reads): done here at
    // start-up, never on the event loop of the first POST.
    for (String address : List.of("192.0.2.1", "2001:db8::1")) {
      IPAddress parsed = new IPAddressString(address).getAddress();
      if (parsed == null
          || parsed.toCanonicalString().isEmpty()
          || !parsed.toPrefixBlock(8).contains(parsed)) {
        throw new IllegalStateException("the IPAddress library cannot parse " + address);
      }
    }
  }

  private static List<IPAddress> blocks(String setting, List<String> cidrs) {
    return cidrs.stream()
        .map(
            cidr -> {
              IPAddress block = new IPAddressString(cidr.trim()).getAddress();
              if (block == null) {
                throw new IllegalArgumentException(
                    "inboxpush.listener.callback."
                        + setting
                        + ": '"
                        + cidr
                        + "' is not a CIDR block");
              }
              return block.toPrefixBlock();
            })
        .toList();
  }

  /** Whether the allow-list is on at all. */
  boolean restricted() {
    return !allowed.isEmpty();
  }

  /**
   * Whether a request from {@code peer} carrying {@code forwardedFor} may post. Always true when
   * the allow-list is off.
   */
  boolean permits(@Nullable InetSocketAddress peer, @Nullable String forwardedFor) {
    if (!restricted()) {
      return true;
    }
    return client(peer, forwardedFor).map(address -> within(allowed, address)).orElse(false);
  }

  /** The client address: the peer, or behind trusted proxies the right-most untrusted hop. */
  Optional<IPAddress> client(@Nullable InetSocketAddress peer, @Nullable String forwardedFor) {
    if (peer == null || peer.getAddress() == null) {
      return Optional.empty();
    }
    IPAddress address = new IPAddressString(peer.getAddress().getHostAddress()).getAddress();
    if (address == null) {
      return Optional.empty();
    }
    if (forwardedFor == null || !within(proxies, address)) {
      return Optional.of(address);
    }
    String[] hops = forwardedFor.split(",", 32);
    for (int i = hops.length - 1; i >= 0; i--) {
      IPAddress hop = new IPAddressString(hops[i].trim()).getAddress();
      if (hop == null) {
        // A forged or garbled hop: trust nothing beyond it.
        return Optional.empty();
      }
      if (!within(proxies, hop)) {
        return Optional.of(hop);
      }
    }
    return Optional.of(address);
  }

  private static boolean within(List<IPAddress> blocks, IPAddress address) {
    return blocks.stream().anyMatch(block -> block.contains(address));
  }
}
