package dev.inboxpush.local.push;

import dev.inboxpush.local.EnvironmentValues;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The local push server's settings, read from environment variables only (the table in {@link
 * LocalPushServer}'s javadoc). Validated when built: a bad value is an {@link
 * IllegalArgumentException} whose message starts with the variable's name and says what it accepts.
 *
 * @param address where all three servers listen ({@value #ADDRESS}, default {@code 127.0.0.1})
 * @param dataDirectory where the generated keys, certificates and service accounts are kept
 *     ({@value #DATA_DIR}, default {@code .local/push} under the working directory)
 * @param apnsPort the local APNs' port ({@value #APNS_PORT}, default {@value #DEFAULT_APNS_PORT});
 *     0 picks a free one
 * @param fcmPort the fake FCM's port ({@value #FCM_PORT}, default {@value #DEFAULT_FCM_PORT})
 * @param inspectorPort the push inspector's port ({@value #INSPECTOR_PORT}, default {@value
 *     #DEFAULT_INSPECTOR_PORT})
 * @param apnsTopics the bundle ids the signing key may push to, for any well-formed device token
 *     ({@value #APNS_TOPICS}, comma-separated, default {@value #DEFAULT_APNS_TOPIC})
 * @param apnsKeyId the signing key's key id, the {@code kid} provider tokens must name ({@value
 *     #APNS_KEY_ID}, ten letters or digits as Apple's, default {@value #DEFAULT_APNS_KEY_ID})
 * @param fcmProjects the Firebase projects with a service account each ({@value #FCM_PROJECTS},
 *     comma-separated, default {@value #DEFAULT_FCM_PROJECT})
 * @param hostNames further DNS names the servers' certificate covers besides {@code localhost},
 *     {@code 127.0.0.1} and {@code fcm.googleapis.com} ({@value #HOST_NAMES}, comma-separated,
 *     default none): the name a listener in another container reaches the local APNs by
 * @param fcmLatency how long the fake FCM waits before each answer ({@value #FCM_LATENCY_MS}, in
 *     milliseconds, 0 to 60,000, default 0): a timer, as FCM's own round trip, for benchmarks
 */
public record PushSettings(
    InetAddress address,
    Path dataDirectory,
    int apnsPort,
    int fcmPort,
    int inspectorPort,
    List<String> apnsTopics,
    String apnsKeyId,
    List<String> fcmProjects,
    List<String> hostNames,
    Duration fcmLatency) {

  /** The bind address variable. */
  public static final String ADDRESS = "LOCAL_PUSH_ADDRESS";

  /** The data directory variable. */
  public static final String DATA_DIR = "LOCAL_PUSH_DATA_DIR";

  /** The APNs port variable. */
  public static final String APNS_PORT = "LOCAL_APNS_PORT";

  /** The FCM port variable. */
  public static final String FCM_PORT = "LOCAL_FCM_PORT";

  /** The inspector port variable. */
  public static final String INSPECTOR_PORT = "LOCAL_INSPECTOR_PORT";

  /** The APNs topics variable. */
  public static final String APNS_TOPICS = "LOCAL_APNS_TOPICS";

  /** The APNs key id variable. */
  public static final String APNS_KEY_ID = "LOCAL_APNS_KEY_ID";

  /** The FCM projects variable. */
  public static final String FCM_PROJECTS = "LOCAL_FCM_PROJECTS";

  /** The variable of the certificate's further host names. */
  public static final String HOST_NAMES = "LOCAL_PUSH_HOSTNAMES";

  /** The fake FCM's answer delay variable. */
  public static final String FCM_LATENCY_MS = "LOCAL_FCM_LATENCY_MS";

  /** The APNs port when {@value #APNS_PORT} is not set. */
  public static final int DEFAULT_APNS_PORT = 8443;

  /** The FCM port when {@value #FCM_PORT} is not set. */
  public static final int DEFAULT_FCM_PORT = 8444;

  /** The inspector port when {@value #INSPECTOR_PORT} is not set. */
  public static final int DEFAULT_INSPECTOR_PORT = 8090;

  /** The topic when {@value #APNS_TOPICS} is not set. */
  public static final String DEFAULT_APNS_TOPIC = "dev.inboxpush.example";

  /** The key id when {@value #APNS_KEY_ID} is not set. */
  public static final String DEFAULT_APNS_KEY_ID = "LOCALKEY01";

  /** The project when {@value #FCM_PROJECTS} is not set. */
  public static final String DEFAULT_FCM_PROJECT = "inboxpush-local";

  // A bundle id and the suffixes APNs topics may carry (.voip, .complication, ...).
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
  private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{10}");
  // Firebase's rule for project ids; it also keeps the service account's file name safe.
  private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /** The settings without an FCM answer delay. */
  public PushSettings(
      InetAddress address,
      Path dataDirectory,
      int apnsPort,
      int fcmPort,
      int inspectorPort,
      List<String> apnsTopics,
      String apnsKeyId,
      List<String> fcmProjects,
      List<String> hostNames) {
    this(
        address,
        dataDirectory,
        apnsPort,
        fcmPort,
        inspectorPort,
        apnsTopics,
        apnsKeyId,
        fcmProjects,
        hostNames,
        Duration.ZERO);
  }

  public PushSettings {
    if (fcmLatency.isNegative() || fcmLatency.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          FCM_LATENCY_MS + ": must be 0 to 60000 milliseconds, was " + fcmLatency.toMillis());
    }
    checkPort(APNS_PORT, apnsPort);
    checkPort(FCM_PORT, fcmPort);
    checkPort(INSPECTOR_PORT, inspectorPort);
    Set<Integer> taken = new HashSet<>();
    for (int port : List.of(apnsPort, fcmPort, inspectorPort)) {
      if (port != 0 && !taken.add(port)) {
        throw new IllegalArgumentException(
            APNS_PORT
                + ", "
                + FCM_PORT
                + ", "
                + INSPECTOR_PORT
                + ": each server needs its own port, "
                + port
                + " is named twice");
      }
    }
    apnsTopics = List.copyOf(apnsTopics);
    if (apnsTopics.isEmpty()) {
      throw new IllegalArgumentException(
          APNS_TOPICS + ": at least one topic (bundle id) is needed");
    }
    for (String topic : apnsTopics) {
      if (!TOPIC.matcher(topic).matches()) {
        throw new IllegalArgumentException(
            APNS_TOPICS + ": each must be a bundle id such as dev.inboxpush.example, was " + topic);
      }
    }
    if (!KEY_ID.matcher(apnsKeyId).matches()) {
      throw new IllegalArgumentException(
          APNS_KEY_ID + ": ten upper-case letters or digits, as Apple's key ids, was " + apnsKeyId);
    }
    fcmProjects = List.copyOf(fcmProjects);
    if (fcmProjects.isEmpty()) {
      throw new IllegalArgumentException(FCM_PROJECTS + ": at least one project id is needed");
    }
    for (String project : fcmProjects) {
      if (!PROJECT.matcher(project).matches()) {
        throw new IllegalArgumentException(
            FCM_PROJECTS
                + ": each must be a Firebase project id (6 to 30 lower-case letters, digits and"
                + " hyphens, starting with a letter), was "
                + project);
      }
    }
    hostNames = List.copyOf(hostNames);
    for (String hostName : hostNames) {
      if (!HOST_NAME.matcher(hostName).matches()) {
        throw new IllegalArgumentException(
            HOST_NAMES
                + ": each must be a DNS name such as push or push.internal, was "
                + hostName);
      }
    }
  }

  /**
   * The settings {@code environment} names, defaults for the variables it lacks or leaves blank.
   */
  public static PushSettings fromEnvironment(Map<String, String> environment) {
    return new PushSettings(
        EnvironmentValues.address(
            ADDRESS, EnvironmentValues.value(environment, ADDRESS, "127.0.0.1")),
        EnvironmentValues.path(
            DATA_DIR, EnvironmentValues.value(environment, DATA_DIR, ".local/push")),
        EnvironmentValues.port(
            APNS_PORT,
            EnvironmentValues.value(environment, APNS_PORT, Integer.toString(DEFAULT_APNS_PORT))),
        EnvironmentValues.port(
            FCM_PORT,
            EnvironmentValues.value(environment, FCM_PORT, Integer.toString(DEFAULT_FCM_PORT))),
        EnvironmentValues.port(
            INSPECTOR_PORT,
            EnvironmentValues.value(
                environment, INSPECTOR_PORT, Integer.toString(DEFAULT_INSPECTOR_PORT))),
        EnvironmentValues.list(
            EnvironmentValues.value(environment, APNS_TOPICS, DEFAULT_APNS_TOPIC)),
        EnvironmentValues.value(environment, APNS_KEY_ID, DEFAULT_APNS_KEY_ID),
        EnvironmentValues.list(
            EnvironmentValues.value(environment, FCM_PROJECTS, DEFAULT_FCM_PROJECT)),
        EnvironmentValues.list(EnvironmentValues.value(environment, HOST_NAMES, "")),
        Duration.ofMillis(
            milliseconds(
                FCM_LATENCY_MS, EnvironmentValues.value(environment, FCM_LATENCY_MS, "0"))));
  }

  private static long milliseconds(String variable, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          variable + ": must be a whole number of milliseconds, was " + value, e);
    }
  }

  /** The defaults on free ports (0) with {@code dataDirectory}: for tests. */
  public static PushSettings onFreePorts(Path dataDirectory) {
    return new PushSettings(
        InetAddress.getLoopbackAddress(),
        dataDirectory.toAbsolutePath().normalize(),
        0,
        0,
        0,
        List.of(DEFAULT_APNS_TOPIC),
        DEFAULT_APNS_KEY_ID,
        List.of(DEFAULT_FCM_PROJECT),
        List.of());
  }

  private static void checkPort(String variable, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(variable + ": must be 0 to 65535, was " + port);
    }
  }
}
