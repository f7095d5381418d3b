package dev.inboxpush.local.push;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.inboxpush.testsupport.fcm.FakeFcmTransport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Real clients of the local push server, configured only from its files as the listener is: a pushy
 * {@link ApnsClient} with the .p8 key trusting {@code ca.pem}, and firebase-admin with the
 * service-account file (its OAuth2 token fetched from the fake's token endpoint) trusting the same
 * root.
 */
final class PushClients {

  private PushClients() {}

  /** The answer to one push, as either client saw it. */
  record Outcome(boolean accepted, @Nullable String reason, @Nullable Instant invalidSince) {}

  /** A pushy client to {@code 127.0.0.1:port} signing with {@code p8File}. */
  static ApnsClient apns(int port, Path caFile, Path p8File, String keyId, String teamId)
      throws Exception {
    return new ApnsClientBuilder()
        .setApnsServer("127.0.0.1", port)
        .setSigningKey(ApnsSigningKey.loadFromPkcs8File(p8File.toFile(), teamId, keyId))
        .setTrustedServerCertificateChain(caFile.toFile())
        .build();
  }

  /** Sends a badge push as the listener does (alert, priority 10, the device contract). */
  static Outcome push(ApnsClient client, String token, String topic, int badge) throws Exception {
    String payload =
        "{\"aps\":{\"badge\":"
            + badge
            + ",\"content-available\":1},\"inboxpush\":{\"kind\":\"new-mail\",\"registrationId\":\""
            + UUID.randomUUID()
            + "\"}}";
    PushNotificationResponse<SimpleApnsPushNotification> response =
        client
            .sendNotification(
                new SimpleApnsPushNotification(
                    token,
                    topic,
                    payload,
                    Instant.now().plusSeconds(3600),
                    DeliveryPriority.IMMEDIATE,
                    PushType.ALERT,
                    "inbox"))
            .get(10, TimeUnit.SECONDS);
    return new Outcome(
        response.isAccepted(),
        response.getRejectionReason().orElse(null),
        response.getTokenInvalidationTimestamp().orElse(null));
  }

  static void close(@Nullable ApnsClient client) throws Exception {
    if (client != null) {
      client.close().get(10, TimeUnit.SECONDS);
    }
  }

  /** A TLS context trusting only the certificates of {@code pemFile}. */
  static SSLContext trusting(Path pemFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pemFile)) {
      int i = 0;
      for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, (X509Certificate) certificate);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** A firebase-admin app of {@code project} with the service account of {@code accountFile}. */
  static final class Fcm implements AutoCloseable {

    private final FakeFcmTransport transport;
    private final FirebaseApp app;

    Fcm(int port, Path caFile, Path accountFile, String project) throws Exception {
      this.transport = FakeFcmTransport.connect(port, trusting(caFile));
      GoogleCredentials credentials;
      try (InputStream in = Files.newInputStream(accountFile)) {
        credentials = GoogleCredentials.fromStream(in, transport);
      }
      this.app =
          FirebaseApp.initializeApp(
              FirebaseOptions.builder()
                  .setProjectId(project)
                  .setCredentials(credentials)
                  .setHttpTransport(transport.httpTransport())
                  .build(),
              "local-push-" + UUID.randomUUID());
    }

    /** Sends a badge data message as the listener does. */
    // setToken is deprecated in firebase-admin 9.x without a replacement for one token; the
    // listener uses it too (FcmMessages).
    @SuppressWarnings("deprecation")
    Outcome send(String token, int unread) {
      Message message =
          Message.builder()
              .setToken(token)
              .putData("kind", "new-mail")
              .putData("unread", Integer.toString(unread))
              .putData("registrationId", UUID.randomUUID().toString())
              .setAndroidConfig(
                  AndroidConfig.builder()
                      .setPriority(AndroidConfig.Priority.HIGH)
                      .setCollapseKey("inbox")
                      .build())
              .build();
      try {
        FirebaseMessaging.getInstance(app).send(message);
        return new Outcome(true, null, null);
      } catch (FirebaseMessagingException e) {
        MessagingErrorCode code = e.getMessagingErrorCode();
        return new Outcome(false, code == null ? e.getErrorCode().name() : code.name(), null);
      }
    }

    @Override
    public void close() {
      app.delete();
      transport.close();
    }
  }
}
