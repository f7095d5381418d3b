package dev.inboxpush.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.constructs.Node;

/**
 * What differs between one installation and another, from the CDK context ({@code -c key=value} or
 * {@code cdk.json}); everything else is fixed by the code. Validated on construction: a missing or
 * malformed value stops synthesis with a message naming the context key.
 *
 * @param domain the parent domain of every public hostname: {@code
 *     mailboxlistener.<region>.<domain>} and {@code pushreg.<region>.<domain>}
 * @param hostedZoneId the Route 53 public hosted zone of {@code domain} (it exists already)
 * @param issuerUri the identity provider the registration API trusts (its {@code iss})
 * @param imageTag the tag of both services' images in each region's ECR repositories
 * @param tableName the Global Table's name
 * @param tableDetached leave the table out of {@code InboxPush-Global} (context {@code
 *     tableDetached=true}): the first step of bringing a restored table under the stack
 *     (docs/runbook.md, "Restore the table to a point in time"); the table itself is retained
 * @param apnsApps the iOS apps, token authentication (one Secrets Manager secret each)
 * @param apnsCertificateApps the bundle ids of iOS apps with certificate authentication (a .p12 and
 *     its password in one Secrets Manager secret each)
 * @param fcmProjects the Firebase project ids (one Secrets Manager secret each)
 * @param collectorImage the ADOT collector image that scrapes the management ports
 * @param replicationAllowance the listener's {@code
 *     inboxpush.listener.answer.replication-allowance} (context {@code replicationAllowance},
 *     {@code <n>s} or {@code <n>m}, 0 to 30 min), or null for the service's own default (60 s): how
 *     long an absent registration, or one bound to another SubscriptionId, must have stood in a
 *     region before Exchange is told {@code Unsubscribe}; raised while a failed region's writes may
 *     still be unreplicated (docs/runbook.md, "Fail a region over and back")
 */
record Deployment(
    String domain,
    String hostedZoneId,
    String issuerUri,
    String imageTag,
    String tableName,
    boolean tableDetached,
    List<ApnsApp> apnsApps,
    List<String> apnsCertificateApps,
    List<String> fcmProjects,
    String collectorImage,
    @Nullable Duration replicationAllowance) {

  /** Pinned, never {@code latest}: a collector that changes under a running system is an outage. */
  static final String DEFAULT_COLLECTOR_IMAGE =
      "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0";

  private static final Pattern HOSTNAME =
      Pattern.compile("^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");
  private static final Pattern TEN = Pattern.compile("^[A-Z0-9]{10}$");

  /** The listener's own bounds (AnswerProperties: at most 30 min). */
  static final Duration MAX_REPLICATION_ALLOWANCE = Duration.ofMinutes(30);

  private static final Pattern DURATION = Pattern.compile("^(\\d{1,5})([sm])$");
  private static final String BUNDLE_ID = "^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$";

  Deployment {
    apnsApps = List.copyOf(apnsApps);
    apnsCertificateApps = List.copyOf(apnsCertificateApps);
    fcmProjects = List.copyOf(fcmProjects);
    if (!HOSTNAME.matcher(domain).matches()) {
      throw new IllegalArgumentException(
          "context domain: a lower-case DNS name such as push.example.net, not '" + domain + "'");
    }
    if (!hostedZoneId.matches("^Z[A-Z0-9]{1,31}$")) {
      throw new IllegalArgumentException(
          "context hostedZoneId: the Route 53 zone id of "
              + domain
              + " (Z...), not '"
              + hostedZoneId
              + "'");
    }
    if (!issuerUri.startsWith("https://")) {
      throw new IllegalArgumentException(
          "context issuerUri: the identity provider's https issuer, exactly its tokens' iss");
    }
    if (!imageTag.matches("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$") || imageTag.equals("latest")) {
      throw new IllegalArgumentException(
          "context imageTag: the images' tag (a version or commit; not latest: ECS must know"
              + " what it runs)");
    }
    if (!tableName.matches("^[A-Za-z0-9_.-]{3,255}$")) {
      throw new IllegalArgumentException("context tableName: 3 to 255 of A-Z a-z 0-9 _ . -");
    }
    for (String topic : apnsCertificateApps) {
      if (!topic.matches(BUNDLE_ID)) {
        throw new IllegalArgumentException(
            "context apnsCertificateApps: '" + topic + "' is no bundle id");
      }
      if (apnsApps.stream().anyMatch(app -> app.topic().equals(topic))) {
        throw new IllegalArgumentException(
            "context apnsCertificateApps: "
                + topic
                + " is in apnsApps too; an app authenticates with a token or a certificate, not"
                + " both");
      }
    }
    if (apnsCertificateApps.stream().distinct().count() != apnsCertificateApps.size()) {
      throw new IllegalArgumentException("context apnsCertificateApps: a bundle id twice");
    }
    if (replicationAllowance != null
        && (replicationAllowance.isNegative()
            || replicationAllowance.compareTo(MAX_REPLICATION_ALLOWANCE) > 0)) {
      throw new IllegalArgumentException(
          "context replicationAllowance: 0s to 30m (the listener refuses more), not "
              + replicationAllowance);
    }
    for (String project : fcmProjects) {
      if (!project.matches("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")) {
        throw new IllegalArgumentException(
            "context fcmProjects: '" + project + "' is not a Firebase project id");
      }
    }
  }

  /**
   * One iOS app with token authentication; its .p8 key is in the secret {@code
   * inboxpush/apns/<topic>}.
   *
   * @param topic the bundle id
   * @param keyId the key's 10-character id
   * @param teamId the 10-character team id
   */
  record ApnsApp(String topic, String keyId, String teamId) {
    ApnsApp {
      if (!topic.matches(BUNDLE_ID)) {
        throw new IllegalArgumentException("context apnsApps: '" + topic + "' is no bundle id");
      }
      if (!TEN.matcher(keyId).matches() || !TEN.matcher(teamId).matches()) {
        throw new IllegalArgumentException(
            "context apnsApps: " + topic + ": key id and team id are 10 characters A-Z 0-9 each");
      }
    }

    /** {@code topic:keyId:teamId}. */
    static ApnsApp parse(String text) {
      String[] parts = text.split(":", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "context apnsApps: 'topic:keyId:teamId' entries, comma-separated, not '" + text + "'");
      }
      return new ApnsApp(parts[0].trim(), parts[1].trim(), parts[2].trim());
    }
  }

  /**
   * The secret holding {@code app}'s .p8 key ({@code key}) and when it was issued ({@code
   * writtenAt}).
   */
  static String apnsSecretName(ApnsApp app) {
    return "inboxpush/apns/" + app.topic();
  }

  /**
   * The secret holding the .p12 of the certificate app {@code topic}, base64 encoded ({@code p12}),
   * and its password ({@code password}); the same name as a token app's, so that moving an app from
   * one to the other is a change of the secret's keys.
   */
  static String apnsCertificateSecretName(String topic) {
    return "inboxpush/apns/" + topic;
  }

  /** The secret holding {@code project}'s service-account JSON, whole. */
  static String fcmSecretName(String project) {
    return "inboxpush/fcm/" + project;
  }

  /** The generated owner-hash key, the same in every region (a replicated secret). */
  static final String OWNER_HASH_SECRET_NAME = "inboxpush/owner-hash-key";

  String listenerHost(Region region) {
    return "mailboxlistener." + region.code() + "." + domain;
  }

  String registrationHost(Region region) {
    return "pushreg." + region.code() + "." + domain;
  }

  /** Reads the context of {@code node} (the app's): {@code domain}, {@code hostedZoneId}, ... */
  static Deployment fromContext(Node node) {
    return new Deployment(
        required(node, "domain"),
        required(node, "hostedZoneId"),
        required(node, "issuerUri"),
        required(node, "imageTag"),
        optional(node, "tableName", "inboxpush"),
        flag(node, "tableDetached"),
        list(node, "apnsApps").stream().map(ApnsApp::parse).toList(),
        list(node, "apnsCertificateApps"),
        list(node, "fcmProjects"),
        optional(node, "collectorImage", DEFAULT_COLLECTOR_IMAGE),
        duration(node, "replicationAllowance"));
  }

  /** {@code <n>s} or {@code <n>m}; absent is null. */
  private static @Nullable Duration duration(Node node, String key) {
    String value = optional(node, key, "");
    if (value.isEmpty()) {
      return null;
    }
    java.util.regex.Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "context " + key + ": seconds or minutes such as 90s or 10m, not '" + value + "'");
    }
    long amount = Long.parseLong(matcher.group(1));
    return matcher.group(2).equals("m") ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
  }

  private static String required(Node node, String key) {
    @Nullable Object value = node.tryGetContext(key);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException(
          "context "
              + key
              + " is required: pass -c "
              + key
              + "=... (README.md, \"Deploy to AWS\")");
    }
    return value.toString().trim();
  }

  private static String optional(Node node, String key, String fallback) {
    @Nullable Object value = node.tryGetContext(key);
    return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
  }

  private static boolean flag(Node node, String key) {
    String value = optional(node, key, "false");
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("context " + key + ": true or false, not '" + value + "'");
    }
    return value.equals("true");
  }

  private static List<String> list(Node node, String key) {
    List<String> entries = new ArrayList<>();
    for (String entry : optional(node, key, "").split(",")) {
      if (!entry.isBlank()) {
        entries.add(entry.trim());
      }
    }
    return entries;
  }
}
