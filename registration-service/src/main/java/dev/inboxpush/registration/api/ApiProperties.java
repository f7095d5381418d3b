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
 *     https://mailboxlistener.eu-west-1.example.com}); EWS callback URLs are this plus {@code
 *     /ews/v1/{token}}, Graph notification URLs this plus {@code /graph/v1/{token}} (and {@code
 *     /lifecycle} after it for lifecycle notifications). Required
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

  /** The EWS callback URL for a token. */
  public String callbackUrl(String token) {
    return base() + "/ews/v1/" + token;
  }

  /** The Graph {@code notificationUrl} for a token (a contract with the listener's routes). */
  public String graphNotificationUrl(String token) {
    return base() + "/graph/v1/" + token;
  }

  /** The Graph {@code lifecycleNotificationUrl} for a token (likewise). */
  public String graphLifecycleUrl(String token) {
    return graphNotificationUrl(token) + "/lifecycle";
  }

  private String base() {
    String base = listenerBaseUrl.toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
