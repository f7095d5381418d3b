package dev.inboxpush.listener.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.ListenerState;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.time.MutableClock;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the answer-rule tests share: a scripted dispatcher and a clock the test moves, as beans;
 * registering devices; posting to the real endpoint and reading its answer.
 */
public final class ListenerHarness {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final AppId APP = AppId.of("com.example.mail");
  public static final String INBOX = "AQMkInboxFolder0001=";
  private static final SecureRandom RANDOM = new SecureRandom();

  @TestConfiguration
  static class Beans {
    @Bean
    @Primary
    ScriptedDispatcher scriptedDispatcher() {
      return new ScriptedDispatcher();
    }

    @Bean
    @Primary
    Clock testClock() {
      return MutableClock.startingAt("2026-11-27T12:00:00Z");
    }
  }

  /** Only the clock: for tests that run the real dispatchers against local peers. */
  @TestConfiguration
  static class ClockOnly {
    @Bean
    @Primary
    Clock testClock() {
      return MutableClock.startingAt("2026-11-27T12:00:00Z");
    }
  }

  private final WebTestClient http;
  private final DynamoStore store;

  public ListenerHarness(WebTestClient http, DynamoStore store) {
    this.http = http;
    this.store = store;
  }

  public static String apnsToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static OwnerHash owner() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return OwnerHash.of(HexFormat.of().formatHex(bytes));
  }

  public static SubscriptionBinding binding(String subscriptionId) {
    return new SubscriptionBinding(
        SubscriptionId.of(subscriptionId), FolderId.of(INBOX), new StatusFrequency(30));
  }

  public Registration register(String deviceToken, @Nullable SubscriptionBinding binding) {
    return register(owner(), deviceToken, binding);
  }

  Registration register(
      OwnerHash owner, String deviceToken, @Nullable SubscriptionBinding binding) {
    return store
        .registrations()
        .register(
            new NewRegistration(
                owner,
                APP,
                ApnsEnvironment.PRODUCTION,
                DeviceToken.of(Platform.APNS, deviceToken),
                Region.EU_WEST_1,
                binding,
                Duration.ofDays(30)))
        .block(TIMEOUT)
        .registration();
  }

  /** An Android registration of {@code project}. */
  public Registration registerFcm(
      String project, String deviceToken, @Nullable SubscriptionBinding binding) {
    return store
        .registrations()
        .register(
            new NewRegistration(
                owner(),
                AppId.of(project),
                null,
                DeviceToken.of(Platform.FCM, deviceToken),
                Region.EU_WEST_1,
                binding,
                Duration.ofDays(30)))
        .block(TIMEOUT)
        .registration();
  }

  /** A Graph registration and the clientState secret the app was given for it. */
  public record GraphDevice(Registration registration, ClientState secret) {

    /** The registration's notificationUrl on a listener at {@code base}. */
    public URI notificationUrl(String base) {
      return URI.create(base + "/graph/v1/" + registration.callbackToken().value());
    }

    /** The registration's lifecycleNotificationUrl on a listener at {@code base}. */
    public URI lifecycleUrl(String base) {
      return URI.create(base + "/graph/v1/" + registration.callbackToken().value() + "/lifecycle");
    }
  }

  /** An iOS registration of kind {@code graph}, with no Graph subscription bound yet. */
  public GraphDevice registerGraph(String deviceToken) {
    ClientState secret = ClientState.generate();
    Registration registration =
        store
            .registrations()
            .register(
                new NewRegistration(
                    owner(),
                    APP,
                    ApnsEnvironment.PRODUCTION,
                    DeviceToken.of(Platform.APNS, deviceToken),
                    Region.EU_WEST_1,
                    RegistrationKind.GRAPH,
                    null,
                    secret.hash(),
                    Duration.ofDays(30)))
            .block(TIMEOUT)
            .registration();
    return new GraphDevice(registration, secret);
  }

  /** Binds a Graph subscription to the device's registration, as the API's PUT does. */
  public GraphDevice bindGraph(GraphDevice device, String subscriptionId, Instant expiresAt) {
    Registration bound =
        store
            .registrations()
            .bindGraph(
                device.registration().owner(),
                device.registration().id(),
                new GraphSubscription(GraphSubscription.id(subscriptionId), expiresAt))
            .block(TIMEOUT);
    return new GraphDevice(bound, device.secret());
  }

  /** Posts {@code body} to the registration's callback URL and returns whatever came back. */
  EntityExchangeResult<String> exchange(Registration registration, byte[] body) {
    return http.post()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .header("Content-Type", "text/xml; charset=utf-8")
        .bodyValue(body)
        .exchange()
        .expectBody(String.class)
        .returnResult();
  }

  /** Posts {@code body} to the registration's callback URL; the answer must be a 200 reply. */
  public SubscriptionStatus post(Registration registration, byte[] body) {
    byte[] reply =
        http.post()
            .uri("/ews/v1/{token}", registration.callbackToken().value())
            .header("Content-Type", "text/xml; charset=utf-8")
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return status(reply);
  }

  /** The status a 200 reply carries. */
  static SubscriptionStatus status(byte[] reply) {
    for (SubscriptionStatus status : SubscriptionStatus.values()) {
      if (Arrays.equals(reply, SendNotificationReply.body(status))) {
        return status;
      }
    }
    throw new AssertionError("not a SendNotificationResult");
  }

  /** New mail in the Inbox with its unread count (the item named after the count). */
  static byte[] newMail(String subscription, int count) {
    return EwsPayloads.notification(subscription)
        .newMail("item-" + count, INBOX)
        .folderModified(INBOX, count)
        .build();
  }

  ListenerState state(Registration registration) {
    return store.listenerState().find(registration.id()).block(TIMEOUT);
  }

  static void assertOk(SubscriptionStatus status) {
    assertThat(status).isEqualTo(SubscriptionStatus.OK);
  }
}
