package dev.inboxpush.listener.callback;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code inboxpush.listener.callback.*}: how the EWS endpoint guards itself.
 *
 * @param maxBodySize the largest body accepted (default 1MB; a 500-event batch is about 220KB);
 *     larger ones get 413 without being read
 * @param allowedNetworks CIDR blocks (IPv4 or IPv6) that may post; empty (the default) lets any
 *     source post, the callback token being the authorization. Requests from elsewhere get 403
 * @param trustedProxies CIDR blocks of the load balancers in front of the listener: only when the
 *     direct peer is one of them is {@code X-Forwarded-For} read, and then the client is the
 *     right-most address in it that is not itself a trusted proxy. Empty (the default): the header
 *     is ignored
 * @param compatibilityMode also accept {@code POST /ews/v1/shared}, a region-wide URL that finds
 *     registrations by SubscriptionId alone (how the hosted service inbox-push replaces worked).
 *     Off by default: anyone who learns a SubscriptionId can then push to its device
 * @param unknownTokenBurst how many POSTs answered {@code Unsubscribe} because their token named no
 *     registration here (each cost a strongly consistent table read) one source address may make at
 *     once (default 600); past it, that source's POSTs to tokens this instance has not served
 *     lately are answered 429 with {@code Retry-After} and read nothing, until its budget refills
 *     ({@link UnknownTokenBudget})
 * @param unknownTokensPerMinute how fast that budget refills (default 600 a minute)
 */
@ConfigurationProperties("inboxpush.listener.callback")
public record CallbackProperties(
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue List<String> allowedNetworks,
    @DefaultValue List<String> trustedProxies,
    @DefaultValue("false") boolean compatibilityMode,
    @DefaultValue("600") int unknownTokenBurst,
    @DefaultValue("600") int unknownTokensPerMinute) {

  public CallbackProperties {
    if (maxBodySize.toBytes() < 16 * 1024 || maxBodySize.toBytes() > 64L * 1024 * 1024) {
      throw new IllegalArgumentException(
          "inboxpush.listener.callback.max-body-size must be 16KB to 64MB");
    }
    if (unknownTokenBurst < 1 || unknownTokensPerMinute < 1) {
      throw new IllegalArgumentException(
          "inboxpush.listener.callback.unknown-token-burst and unknown-tokens-per-minute must be at"
              + " least 1");
    }
    allowedNetworks = List.copyOf(allowedNetworks);
    trustedProxies = List.copyOf(trustedProxies);
  }
}
