package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ManagementClient;
import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.listener.ews.SendNotificationReply;
import dev.inboxpush.listener.ews.SubscriptionStatus;
import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.RegistrationStore;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Real HTTP into the real endpoint, dynalite behind it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class EwsCallbackIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("callback", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.callback.max-body-size", () -> "256KB");
    // The redelivery worker reads the store on its own schedule; the call counts here must not see
    // it.
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: an absence or a foreign binding is final at once
    // (ReplicationAllowanceIT, SharedUrlAllowanceIT and ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @TestConfiguration
  static class Counting {
    @Bean
    @Primary
    CountingRegistrationStore countingRegistrationStore(DynamoStore store) {
      return new CountingRegistrationStore(store.registrations());
    }
  }

  private static final byte[] OK = SendNotificationReply.body(SubscriptionStatus.OK);
  private static final byte[] UNSUBSCRIBE =
      SendNotificationReply.body(SubscriptionStatus.UNSUBSCRIBE);

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;
  @Autowired DynamoStore store;
  @Autowired CountingRegistrationStore counting;

  private Registration registration;

  @BeforeEach
  void register() {
    RegistrationStore registrations = store.registrations();
    registration =
        registrations
            .register(
                new NewRegistration(
                    OwnerHash.of(HexFormat.of().formatHex(new byte[32])),
                    AppId.of("com.example.mail"),
                    ApnsEnvironment.PRODUCTION,
                    DeviceToken.of(Platform.APNS, UUID.randomUUID().toString().replace("-", "")),
                    Region.EU_WEST_1,
                    null,
                    Duration.ofDays(30)))
            .block(Duration.ofSeconds(10))
            .registration();
  }

  private WebTestClient.ResponseSpec post(String token, byte[] body, String contentType) {
    WebTestClient.RequestBodySpec request = http.post().uri("/ews/v1/{token}", token);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return request.bodyValue(body).exchange();
  }

  private void answers(String token, byte[] body, String contentType, byte[] reply) {
    post(token, body, contentType)
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType(SendNotificationReply.CONTENT_TYPE)
        .expectBody(byte[].class)
        .isEqualTo(reply);
  }

  static Stream<String> corpus() {
    return Corpus.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyCorpusPayloadToAKnownTokenIsAnsweredOk(String name) {
    answers(
        registration.callbackToken().value(), Corpus.payload(name), "text/xml; charset=utf-8", OK);
  }

  @Test
  void anUnknownTokenIsAnsweredUnsubscribe() {
    answers(
        CallbackToken.generate().value(),
        Corpus.payload("heartbeat-exchange2016"),
        "text/xml",
        UNSUBSCRIBE);
  }

  @Test
  void aTokenThatCannotExistIsAnsweredUnsubscribeWithoutALookup() {
    int before = counting.calls();

    answers("not-a-token", Corpus.payload("heartbeat-exchange2016"), "text/xml", UNSUBSCRIBE);

    assertThat(counting.calls()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/xml",
        "text/xml; charset=utf-8",
        "application/soap+xml; charset=utf-8; action=\"http://schemas.microsoft.com/exchange/services/2006/messages/SendNotification\"",
        "application/xml",
        "TEXT/XML; Charset=UTF-8"
      })
  void everyContentTypeExchangeMaySendIsAccepted(String contentType) {
    answers(
        registration.callbackToken().value(),
        Corpus.payload("new-mail-exchange2016"),
        contentType,
        OK);
  }

  @Test
  void noContentTypeIsAccepted() {
    answers(
        registration.callbackToken().value(), Corpus.payload("new-mail-exchange2016"), null, OK);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded"
      })
  void otherContentTypesGet415AndNoLookup(String contentType) {
    int before = counting.calls();

    post(
            registration.callbackToken().value(),
            Corpus.payload("heartbeat-exchange2016"),
            contentType)
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .expectHeader()
        .contentType(SendNotificationReply.CONTENT_TYPE)
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));

    assertThat(counting.calls()).isEqualTo(before);
  }

  static Stream<Arguments> hostileBodies() {
    String envelope =
        "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>%s</s:Body></s:Envelope>";
    String lol =
        "<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
            + "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>"
            + "<!ENTITY lol4 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>]>";
    String entity = "<!ENTITY a '" + "A".repeat(50_000) + "'>";
    byte[] heartbeat = Corpus.payload("heartbeat-exchange2016");
    byte[] invalidUtf8 = heartbeat.clone();
    int at = new String(heartbeat, StandardCharsets.UTF_8).indexOf("KQBl");
    invalidUtf8[at] = (byte) 0xFF;
    return Stream.of(
        Arguments.of("empty", new byte[0]),
        Arguments.of("JSON", "{\"subscriptionId\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("truncated", java.util.Arrays.copyOf(heartbeat, heartbeat.length / 2)),
        Arguments.of("invalid UTF-8", invalidUtf8),
        Arguments.of(
            "XXE file",
            ("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>" + envelope.formatted("&e;"))
                .getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "XXE URL",
            ("<!DOCTYPE x [<!ENTITY e SYSTEM 'http://127.0.0.1:9/'>]>" + envelope.formatted("&e;"))
                .getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "parameter entity",
            ("<!DOCTYPE x [<!ENTITY % p SYSTEM 'http://127.0.0.1:9/p'> %p;]>"
                    + envelope.formatted(""))
                .getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "billion laughs",
            (lol + envelope.formatted("&lol4;")).getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "quadratic blowup",
            ("<!DOCTYPE x [" + entity + "]>" + envelope.formatted("&a;".repeat(2_000)))
                .getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "deep nesting",
            envelope
                .formatted("<x>".repeat(5_000) + "</x>".repeat(5_000))
                .getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "huge attribute",
            envelope
                .formatted("<x a='" + "A".repeat(200_000) + "'/>")
                .getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "SOAP fault",
            envelope
                .formatted(
                    "<s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring></s:Fault>")
                .getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBodies")
  void hostileBodiesGet400QuicklyAndReachNoStore(String label, byte[] body) {
    int before = counting.calls();
    long start = System.nanoTime();

    post(registration.callbackToken().value(), body, "text/xml")
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(SendNotificationReply.CONTENT_TYPE)
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(counting.calls()).isEqualTo(before);
  }

  @Test
  void aBodyOverTheLimitGets413WhetherDeclaredOrStreamed() {
    byte[] huge = new byte[300 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    int before = counting.calls();

    post(registration.callbackToken().value(), huge, "text/xml")
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));
    http.post()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .contentType(MediaType.TEXT_XML)
        .body(reactor.core.publisher.Flux.range(0, 300).map(i -> new byte[1024]), byte[].class)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));

    assertThat(counting.calls()).isEqualTo(before);
  }

  @Test
  void theSharedUrlIsOffByDefault() {
    int before = counting.calls();

    answers("shared", Corpus.payload("heartbeat-exchange2016"), "text/xml", UNSUBSCRIBE);

    assertThat(counting.calls()).isEqualTo(before);
  }

  @Test
  void otherMethodsGet405() {
    http.get()
        .uri("/ews/v1/{token}", registration.callbackToken().value())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
        .expectHeader()
        .valueEquals("Allow", "POST")
        .expectBody(String.class)
        .value(fault -> assertThat(fault).contains("soap:Client"));
  }

  @Test
  void answersAreCountedByAnswer() {
    answers(
        registration.callbackToken().value(),
        Corpus.payload("heartbeat-exchange2016"),
        "text/xml",
        OK);

    String metrics = ManagementClient.scrape(managementPort);
    assertThat(metrics)
        .contains("inboxpush_listener_callbacks_total{answer=\"ok\"")
        .contains("inboxpush_listener_answer_time_seconds_bucket")
        .doesNotContain(registration.callbackToken().value());
  }
}
