package dev.inboxpush.doctor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What to diagnose and how, validated at construction (an {@link IllegalArgumentException} names
 * the option and the fix). Credentials are not here: they come from the environment or a prompt.
 *
 * @param ewsUrl the EWS endpoint, {@code https://<server>/EWS/Exchange.asmx}
 * @param registrationUrl the registration service of the listener's region
 * @param platform {@code apns} or {@code fcm}: the throw-away registration's platform
 * @param appId an app the listener serves: the APNs topic (bundle id) or the Firebase project id
 * @param apnsEnvironment {@code sandbox} or {@code production} for APNs, null for FCM
 * @param deviceToken a test device's token, or null for a made-up one (then a test message's push
 *     is refused by the provider, which the report says)
 * @param statusFrequency the subscription's StatusFrequency in minutes (1 to 1440)
 * @param waitForHeartbeat how long to wait for Exchange's first notification
 * @param testMessage whether to send a test message, ask the user to, or neither
 * @param mailWait how long to wait for the test message's notification
 * @param mailbox the test mailbox's address, where {@link TestMessage#SEND} sends to; never printed
 * @param ewsCaFile PEM certificates to trust for EWS instead of the JDK's trust store, or null
 * @param timeout bound on connecting to EWS and each EWS and registration API answer
 */
public record DoctorOptions(
    URI ewsUrl,
    URI registrationUrl,
    String platform,
    String appId,
    @Nullable String apnsEnvironment,
    @Nullable String deviceToken,
    int statusFrequency,
    Duration waitForHeartbeat,
    TestMessage testMessage,
    Duration mailWait,
    @Nullable String mailbox,
    @Nullable Path ewsCaFile,
    Duration timeout) {

  /** Step 3's test message. */
  public enum TestMessage {
    /** No test message: the heartbeat alone shows that Exchange reaches the listener. */
    NONE,
    /** The doctor sends one from the test mailbox to itself (needs --mailbox). */
    SEND,
    /** The doctor asks the user to send one to the test mailbox, and waits. */
    ASK
  }

  public DoctorOptions {
    ewsUrl = httpUrl("--ews-url", ewsUrl);
    registrationUrl = httpUrl("--registration-url", registrationUrl);
    platform = platform.toLowerCase(Locale.ROOT);
    if (!platform.equals("apns") && !platform.equals("fcm")) {
      throw new IllegalArgumentException("--platform must be apns or fcm");
    }
    if (!appId.matches("[A-Za-z0-9._-]{1,155}")) {
      throw new IllegalArgumentException(
          "--app-id must be an APNs topic or a Firebase project id (letters, digits, . _ -)");
    }
    if (platform.equals("apns")) {
      apnsEnvironment = apnsEnvironment == null ? "production" : apnsEnvironment;
      if (!apnsEnvironment.equals("sandbox") && !apnsEnvironment.equals("production")) {
        throw new IllegalArgumentException("--apns-environment must be sandbox or production");
      }
    } else if (apnsEnvironment != null) {
      throw new IllegalArgumentException("--apns-environment applies to --platform apns only");
    }
    if (statusFrequency < 1 || statusFrequency > 1440) {
      throw new IllegalArgumentException("--status-frequency must be 1 to 1440 minutes");
    }
    positive("--wait", waitForHeartbeat);
    positive("--mail-wait", mailWait);
    positive("--timeout", timeout);
    if (testMessage == TestMessage.SEND && (mailbox == null || !mailbox.contains("@"))) {
      throw new IllegalArgumentException(
          "--test-message send needs the test mailbox's address: --mailbox user@example.com");
    }
  }

  private static URI httpUrl(String option, URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
      throw new IllegalArgumentException(option + " must be an http(s) URL with a host");
    }
    if (url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          option + " must not carry credentials: they come from the environment or the prompt");
    }
    return url;
  }

  private static void positive(String option, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(option + " must be positive");
    }
  }
}
