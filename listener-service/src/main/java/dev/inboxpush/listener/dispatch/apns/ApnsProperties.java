package dev.inboxpush.listener.dispatch.apns;

import dev.inboxpush.model.ApnsEnvironment;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.apns.*}: the APNs dispatcher. Without any {@code apps}, the listener has no APNs
 * dispatcher and every iOS badge waits, pending, as a configuration error.
 *
 * @param apps the iOS apps (topics) this instance pushes to, each with its credentials
 * @param production where production tokens go (default {@code api.push.apple.com:443}; Apple also
 *     listens on 2197)
 * @param sandbox where sandbox tokens go (default {@code api.sandbox.push.apple.com:443})
 * @param trustedServerCertificates a PEM file of the certificates to trust instead of the JDK's (a
 *     local MockApnsServer, or a TLS-inspecting egress); absent in production
 * @param connections HTTP/2 connections per app and environment (default 1; Apple allows several)
 * @param window most pushes in flight per app and environment (default 1000; pushy would buffer
 *     without limit, and APNs allows about 1,000 streams per connection)
 * @param queue most pushes waiting for the window per app and environment (default 10000); more are
 *     answered {@code queue_full} and go pending
 * @param sendTimeout longest wait for APNs to answer one push (default 10s)
 * @param expiration how long APNs may keep an undelivered push ({@code apns-expiration}, default
 *     1h): a badge older than that is stale
 * @param connectTimeout longest wait to connect (default 10s)
 * @param shutdownTimeout how long shutdown waits for pushes in flight (default 10s)
 * @param eventLoopThreads threads of pushy's own event loop (default 1; pushy cannot share
 *     WebFlux's Netty 4.2 loops)
 * @param proxy an outbound HTTP CONNECT proxy (enterprise egress), if any
 */
@ConfigurationProperties("inboxpush.apns")
@Validated
public record ApnsProperties(
    @DefaultValue List<App> apps,
    @Nullable Endpoint production,
    @Nullable Endpoint sandbox,
    @Nullable Path trustedServerCertificates,
    @DefaultValue("1") @Min(1) int connections,
    @DefaultValue("1000") @Min(1) int window,
    @DefaultValue("10000") @Min(1) int queue,
    @DefaultValue("10s") @DurationMin(millis = 1) Duration sendTimeout,
    @DefaultValue("1h") @DurationMin(millis = 0) @DurationMax(days = 30) Duration expiration,
    @DefaultValue("10s") @DurationMin(millis = 1) Duration connectTimeout,
    @DefaultValue("10s") Duration shutdownTimeout,
    @DefaultValue("1") @Min(1) int eventLoopThreads,
    @Nullable Proxy proxy) {

  public ApnsProperties {
    apps = List.copyOf(apps);
    production = production != null ? production : new Endpoint("api.push.apple.com", 443);
    sandbox = sandbox != null ? sandbox : new Endpoint("api.sandbox.push.apple.com", 443);
    // What follows depends on several fields or on list entries: no single constraint says it.
    for (int i = 0; i < apps.size(); i++) {
      App app = apps.get(i);
      String at = "inboxpush.apns.apps[" + i + "]";
      if (app.topic() == null || app.topic().isBlank()) {
        throw new IllegalArgumentException(at + ".topic: the app's bundle id is required");
      }
      if ((app.token() == null) == (app.certificate() == null)) {
        throw new IllegalArgumentException(
            at + ": set exactly one of token (a .p8 key) and certificate (a .p12 file)");
      }
      if (app.token() != null
          && (app.token().keyFile() == null
              || app.token().keyId() == null
              || app.token().teamId() == null)) {
        throw new IllegalArgumentException(
            at + ".token: key-file, key-id and team-id are all required");
      }
      if (app.certificate() != null && app.certificate().file() == null) {
        throw new IllegalArgumentException(at + ".certificate.file: the .p12 file is required");
      }
      if (app.environments().isEmpty()) {
        throw new IllegalArgumentException(at + ".environments: name sandbox, production or both");
      }
    }
  }

  /** Where the tokens of {@code environment} go. */
  public Endpoint endpoint(ApnsEnvironment environment) {
    Endpoint endpoint = environment == ApnsEnvironment.PRODUCTION ? production : sandbox;
    if (endpoint == null) {
      throw new IllegalStateException("set by the constructor");
    }
    return endpoint;
  }

  /**
   * An APNs server.
   *
   * @param host its host name
   * @param port its port, 443 or 2197 at Apple
   */
  public record Endpoint(String host, @DefaultValue("443") int port) {
    public Endpoint {
      if (host == null || host.isBlank() || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "inboxpush.apns.production/sandbox: a host and a port from 1 to 65535");
      }
    }
  }

  /**
   * One iOS app.
   *
   * @param topic the bundle id ({@code apns-topic}); registrations name it as their appId
   * @param environments the environments it has tokens in (default both)
   * @param token token authentication (preferred): a .p8 signing key
   * @param certificate certificate authentication: a .p12 client certificate for this topic
   */
  public record App(
      String topic,
      @DefaultValue({"sandbox", "production"}) Set<ApnsEnvironment> environments,
      @Nullable Token token,
      @Nullable Certificate certificate) {

    public App {
      environments = Set.copyOf(environments);
    }
  }

  /**
   * A provider token signing key. Keys are never in the repository: mount them as files.
   *
   * @param keyFile the .p8 file (PKCS#8 PEM) Apple issued
   * @param keyId its 10-character key id
   * @param teamId the 10-character team id
   */
  public record Token(Path keyFile, String keyId, String teamId) {}

  /**
   * A client certificate.
   *
   * @param file the .p12 (PKCS#12) file with the certificate and its private key
   * @param password its password, best given by the environment ({@code
   *     INBOXPUSH_APNS_APPS_0_CERTIFICATE_PASSWORD}); absent when the file has none
   */
  public record Certificate(Path file, @Nullable String password) {
    @Override
    public String toString() {
      return "Certificate[file=" + file + ", password=" + (password == null ? "none" : "***") + "]";
    }
  }

  /**
   * An HTTP CONNECT proxy.
   *
   * @param host its host name
   * @param port its port
   * @param username for proxy authentication, if needed
   * @param password for proxy authentication, if needed
   */
  public record Proxy(String host, int port, @Nullable String username, @Nullable String password) {
    @Override
    public String toString() {
      return "Proxy[" + host + ":" + port + ", username=" + username + ", password=***]";
    }
  }
}
