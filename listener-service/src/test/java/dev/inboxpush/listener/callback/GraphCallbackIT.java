package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.store.NewRegistration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.graph.GraphPayloads;
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
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Real HTTP into the real Graph endpoints with hostile and malformed input: each is refused with a
 * 4xx before anything is looked up, so that nothing is read, written or pushed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GraphCallbackIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("graph-callback", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.graph.max-body-size", () -> "64KB");
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
  }

  @TestConfiguration
  static class Counting {
    @Bean
    @Primary
    CountingRegistrationStore countingRegistrationStore(DynamoStore store) {
      return new CountingRegistrationStore(store.registrations());
    }
  }

  private static final String SUBSCRIPTION = "8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b";

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired CountingRegistrationStore counting;

  private Registration registration;
  private ClientState secret;

  @BeforeEach
  void register() {
    secret = ClientState.generate();
    registration =
        store
            .registrations()
            .register(
                new NewRegistration(
                    OwnerHash.of(HexFormat.of().formatHex(new byte[32])),
                    AppId.of("com.example.mail"),
                    null,
                    DeviceToken.of(Platform.FCM, "fcm-" + UUID.randomUUID()),
                    Region.EU_WEST_1,
                    RegistrationKind.GRAPH,
                    null,
                    secret.hash(),
                    Duration.ofDays(30)))
            .block(Duration.ofSeconds(10))
            .registration();
  }

  private String url() {
    return "/graph/v1/" + registration.callbackToken().value();
  }

  private WebTestClient.ResponseSpec post(String path, byte[] body, String contentType) {
    WebTestClient.RequestBodySpec request = http.post().uri(path);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return request.bodyValue(body).exchange();
  }

  private void refusedWithoutALookup(
      String path, byte[] body, String contentType, HttpStatus status) {
    int before = counting.calls();
    post(path, body, contentType)
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .valueEquals("X-Content-Type-Options", "nosniff")
        .expectBody(String.class)
        .value(reason -> assertThat(reason).isNotBlank().doesNotContain(secret.value()));
    assertThat(counting.calls()).as("no lookup, no write").isEqualTo(before);
    assertThat(
            store.listenerState().find(registration.id()).block(Duration.ofSeconds(10)).updatedAt())
        .isNull();
  }

  @Test
  void aValidBatchIsAccepted() {
    post(
            url(),
            GraphPayloads.batch().created(SUBSCRIPTION, secret.value()).build(),
            "application/json; charset=utf-8")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"text/plain", "application/xml", "text/xml", "application/x-www-form-urlencoded"})
  void otherContentTypesGet415(String contentType) {
    refusedWithoutALookup(
        url(),
        GraphPayloads.batch().created(SUBSCRIPTION, secret.value()).build(),
        contentType,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void noContentTypeGets415() {
    refusedWithoutALookup(
        url(),
        GraphPayloads.batch().created(SUBSCRIPTION, secret.value()).build(),
        null,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }

  static Stream<Arguments> hostileBodies() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("XML", "<value/>"),
        Arguments.of("truncated", "{\"value\":[{\"subscriptionId\":\"" + SUBSCRIPTION),
        Arguments.of("an array", "[]"),
        Arguments.of("no value", "{\"items\":[]}"),
        Arguments.of("empty value", "{\"value\":[]}"),
        Arguments.of("items not objects", "{\"value\":[1,2,3]}"),
        Arguments.of(
            "deep nesting", "{\"value\":[{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}]}"),
        Arguments.of(
            "a huge string", "{\"value\":[{\"clientState\":\"" + "x".repeat(40_000) + "\"}]}"),
        Arguments.of("invalid UTF-8", "{\"value\":[{\"changeType\":\"\u0000\uFFFF\"}]}\u00FF"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBodies")
  void malformedAndHostileBodiesGet400(String name, String body) {
    byte[] bytes =
        name.equals("invalid UTF-8")
            ? new byte[] {
              '{',
              '"',
              'v',
              'a',
              'l',
              'u',
              'e',
              '"',
              ':',
              '[',
              '"',
              (byte) 0xC3,
              (byte) 0x28,
              '"',
              ']',
              '}'
            }
            : body.getBytes(StandardCharsets.UTF_8);
    refusedWithoutALookup(url(), bytes, "application/json", HttpStatus.BAD_REQUEST);
  }

  @Test
  void anOversizedBodyGets413DeclaredOrNot() {
    StringBuilder big = new StringBuilder("{\"value\":[");
    while (big.length() < 70 * 1024) {
      big.append("{\"changeType\":\"created\"},");
    }
    big.append("{}]}");
    refusedWithoutALookup(
        url(),
        big.toString().getBytes(StandardCharsets.UTF_8),
        "application/json",
        HttpStatus.CONTENT_TOO_LARGE);

    // Chunked, no Content-Length: the limit holds while reading.
    int before = counting.calls();
    http.post()
        .uri(url())
        .header("Content-Type", "application/json")
        .body(reactor.core.publisher.Flux.range(0, 100).map(i -> new byte[1024]), byte[].class)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody(String.class)
        .value(reason -> assertThat(reason).contains("exceeds"));
    assertThat(counting.calls()).isEqualTo(before);
  }

  @Test
  void aPathTokenThatCannotExistGets404EvenForTheHandshake() {
    refusedWithoutALookup(
        "/graph/v1/not-a-token",
        GraphPayloads.batch().created(SUBSCRIPTION, secret.value()).build(),
        "application/json",
        HttpStatus.NOT_FOUND);
    refusedWithoutALookup(
        "/graph/v1/not-a-token/lifecycle?validationToken=abc",
        new byte[0],
        "text/plain",
        HttpStatus.NOT_FOUND);
  }

  @Test
  void anOverlongValidationTokenGets400AndAnEmptyOneToo() {
    refusedWithoutALookup(
        url() + "?validationToken=" + "a".repeat(3_000),
        new byte[0],
        "text/plain",
        HttpStatus.BAD_REQUEST);
    refusedWithoutALookup(
        url() + "?validationToken=", new byte[0], "text/plain", HttpStatus.BAD_REQUEST);
  }

  @Test
  void theHandshakeNeverReflectsMarkup() {
    int before = counting.calls();
    http.post()
        .uri(url() + "/lifecycle?validationToken={token}", "<script>alert(1)</script>")
        .header("Content-Type", "text/plain")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith("text/plain")
        .expectHeader()
        .valueEquals("X-Content-Type-Options", "nosniff")
        .expectBody(String.class)
        .isEqualTo("<script>alert(1)</script>");
    assertThat(counting.calls()).isEqualTo(before);
  }

  @Test
  void anUnknownGraphPathGetsAPlainTextNotFoundNotSpringsErrorPage() {
    http.post()
        .uri("/graph/v1/" + registration.callbackToken().value() + "/something-else")
        .header("Content-Type", "application/json")
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith("text/plain")
        .expectBody(String.class)
        .isEqualTo("not found");
  }

  @Test
  void otherMethodsGet405() {
    http.get()
        .uri(url())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
        .expectHeader()
        .valueEquals("Allow", "POST")
        .expectBody(String.class)
        .isEqualTo("only POST is accepted here");
    http.put()
        .uri(url() + "/lifecycle")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
        .expectBody(String.class)
        .isEqualTo("only POST is accepted here");
  }
}
