package dev.inboxpush.simulator;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * The running system to simulate against, by its public URLs (the local run's: {@link
 * #localDefaults()}).
 *
 * @param registrationApi the registration service's base URL; callback URLs come from its answers
 * @param issuer the OAuth2 authorization server (the local one: any user name signs in)
 * @param inspector the local push server's inspector, where pushes are read back
 * @param failoverListener another region's listener base URL that POSTs move to at {@link
 *     Scenario#failoverAfter()}; null when there is none
 * @param apnsTopic the APNs app (topic) iOS devices register for
 * @param fcmProject the Firebase project Android devices register for
 */
public record Targets(
    URI registrationApi,
    URI issuer,
    URI inspector,
    @Nullable URI failoverListener,
    String apnsTopic,
    String fcmProject) {

  /** The local run's default ports and apps ({@code ./inbox-push local}), without failover. */
  public static Targets localDefaults() {
    return new Targets(
        URI.create("http://127.0.0.1:8081"),
        URI.create("http://127.0.0.1:9000"),
        URI.create("http://127.0.0.1:8090"),
        null,
        "dev.inboxpush.example",
        "inboxpush-local");
  }

  public Targets withFailoverListener(@Nullable URI listener) {
    return new Targets(registrationApi, issuer, inspector, listener, apnsTopic, fcmProject);
  }
}
