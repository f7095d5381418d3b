package dev.inboxpush.registration.api;

import java.net.URI;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.registration.*}.
 *
 * @param listenerBaseUrl this region's listener, as Exchange must reach it (e.g. {@code
 *     https://mailboxlistener.eu-west-1.example.com}); callback URLs are this plus {@code
 *     /ews/v1/{token}}. Required
 * @param lifetime how long a registration lives unless the app refreshes it (default 30 days)
 */
@ConfigurationProperties("inboxpush.registration")
@Validated
public record ApiProperties(
    URI listenerBaseUrl,
    @DefaultValue("30d") @DurationMin(hours = 1) @DurationMax(days = 400) Duration lifetime) {

  public ApiProperties {
    if (listenerBaseUrl == null
        || listenerBaseUrl.getScheme() == null
        || !(listenerBaseUrl.getScheme().equals("https")
            || listenerBaseUrl.getScheme().equals("http"))
        || listenerBaseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "inboxpush.registration.listener-base-url is required: the listener's https:// base URL");
    }
  }

  /** The callback URL for a token. */
  public String callbackUrl(String token) {
    String base = listenerBaseUrl.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/ews/v1/" + token;
  }
}
