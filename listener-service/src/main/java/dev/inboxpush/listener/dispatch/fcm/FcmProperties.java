package dev.inboxpush.listener.dispatch.fcm;

import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.fcm.*}: the FCM dispatcher. Without any {@code projects}, the listener has no
 * FCM dispatcher and every Android badge waits, pending, as a configuration error.
 *
 * @param projects the Firebase projects this instance pushes to, each with its service account
 * @param baseUrl where requests for {@code https://fcm.googleapis.com} are sent instead, e.g.
 *     {@code https://127.0.0.1:8443} for a local fake FCM server. The URL keeps its host name, so
 *     TLS still verifies the certificate for {@code fcm.googleapis.com}; only the address and port
 *     change. Absent in production.
 * @param trustedServerCertificates a PEM file of the certificates to trust instead of the JDK's (a
 *     local fake, or a TLS-inspecting egress); absent in production
 * @param proxy an outbound HTTP CONNECT proxy (enterprise egress) for FCM and Google's OAuth2 token
 *     endpoint, if any
 * @param appsPerProject FirebaseApps per project (default 4): one app's HTTP/2 connection carries
 *     about 100 requests at once, so the pool multiplies what a project can have in flight
 * @param threadsPerApp threads per FirebaseApp (default 100): firebase-admin blocks one thread per
 *     request in flight
 * @param queue most pushes waiting for the window per project (default 10000); more are answered
 *     {@code queue_full} and go pending
 * @param sendTimeout longest wait for FCM to answer one push (default 10s)
 * @param ttl how long FCM keeps an undelivered message ({@code android.ttl}, default 1h): a badge
 *     older than that is stale
 * @param shutdownTimeout how long shutdown waits for pushes in flight (default 10s)
 */
@ConfigurationProperties("inboxpush.fcm")
@Validated
public record FcmProperties(
    @DefaultValue List<Project> projects,
    @Nullable URI baseUrl,
    @Nullable Path trustedServerCertificates,
    @Nullable Proxy proxy,
    @DefaultValue("4") @Min(1) int appsPerProject,
    @DefaultValue("100") @Min(1) int threadsPerApp,
    @DefaultValue("10000") @Min(1) int queue,
    @DefaultValue("10s") @DurationMin(millis = 1) Duration sendTimeout,
    @DefaultValue("1h") @DurationMin(millis = 0) @DurationMax(days = 28) Duration ttl,
    @DefaultValue("10s") Duration shutdownTimeout) {

  public FcmProperties {
    projects = List.copyOf(projects);
    if (baseUrl != null && (!"https".equals(baseUrl.getScheme()) || baseUrl.getHost() == null)) {
      throw new IllegalArgumentException(
          "inboxpush.fcm.base-url: an https URL with a host, e.g. https://127.0.0.1:8443");
    }
    for (int i = 0; i < projects.size(); i++) {
      Project project = projects.get(i);
      if (project.projectId() == null || project.projectId().isBlank()) {
        throw new IllegalArgumentException(
            "inboxpush.fcm.projects[" + i + "].project-id: the Firebase project id is required");
      }
      if (project.credentialsFile() == null) {
        throw new IllegalArgumentException(
            "inboxpush.fcm.projects["
                + i
                + "].credentials-file: the service-account JSON file is required");
      }
    }
  }

  /** Most pushes in flight per project: every app of the pool, every thread busy. */
  public int window() {
    return appsPerProject * threadsPerApp;
  }

  /**
   * One Firebase project.
   *
   * @param projectId its id; registrations name it as their appId
   * @param credentialsFile its service-account JSON key file (mounted, never in the repository)
   */
  public record Project(String projectId, Path credentialsFile) {}

  /**
   * An HTTP CONNECT proxy.
   *
   * @param host its host name
   * @param port its port
   */
  public record Proxy(String host, int port) {}
}
