package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.registration.ManagementClient;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.time.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The real registration service over real HTTP: JWTs from a local issuer, dynalite behind it. Every
 * rejected request is checked to have written nothing (the table's items before and after).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(RegistrationApiIT.TestClock.class)
class RegistrationApiIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final String AUDIENCE = "inboxpush-test";
  static final String TABLE = "api-" + UUID.randomUUID();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Map<String, String> store = DynaliteProperties.forTable("unused", Dynalite.shared());
    store.put("inboxpush.dynamodb.table-name", TABLE);
    store.forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AUDIENCE);
    registry.add(
        "inboxpush.registration.listener-base-url", () -> "https://listener.eu.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
    registry.add("inboxpush.registration.rate-limit.per-caller", () -> "1000");
    registry.add("inboxpush.registration.rate-limit.per-address", () -> "100000");
  }

  @TestConfiguration
  static class TestClock {
    @Bean
    @Primary
    Clock testClock() {
      return MutableClock.startingAt("2026-11-27T12:00:00Z");
    }
  }

  @AfterAll
  static void stopIssuer() {
    ISSUER.close();
  }

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;
  @Autowired DynamoStore store;
  @Autowired Clock clock;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  private static String apnsToken() {
    return UUID.randomUUID().toString().replace("-", "")
        + UUID.randomUUID().toString().replace("-", "");
  }

  private static Map<String, Object> apnsRequest(String token) {
    return Map.of(
        "platform", "apns",
        "appId", "com.example.mail",
        "apnsEnvironment", "production",
        "deviceToken", token);
  }

  private double rejected(String reason) {
    return meters.get("inboxpush.registration.rejected").tag("reason", reason).counter().count();
  }

  private WebTestClient.ResponseSpec register(String bearer, Object body) {
    return http.post()
        .uri("/v1/registrations")
        .headers(h -> h.setBearerAuth(bearer))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> registered(String bearer, String token) {
    return register(bearer, apnsRequest(token))
        .expectStatus()
        .isCreated()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }

  private static String caller() {
    return ISSUER.token("user-" + UUID.randomUUID(), AUDIENCE);
  }

  /** Every item in the table, to prove that a rejected request wrote nothing. */
  private List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> items() {
    return Dynalite.shared()
        .sharedClient()
        .scan(ScanRequest.builder().tableName(TABLE).build())
        .join()
        .items();
  }

  @Nested
  class Registering {

    @Test
    void aNewDeviceGets201WithItsCallbackUrlRegionAndExpiry() {
      String token = apnsToken();

      register(caller(), apnsRequest(token))
          .expectStatus()
          .isCreated()
          .expectHeader()
          .value("Location", location -> assertThat(location).startsWith("/v1/registrations/"))
          .expectBody()
          .jsonPath("$.registrationId")
          .isNotEmpty()
          .jsonPath("$.callbackUrl")
          .value(
              url ->
                  assertThat((String) url)
                      .matches("https://listener\\.eu\\.example\\.com/ews/v1/[A-Za-z0-9_-]{64}"))
          .jsonPath("$.region")
          .isEqualTo("eu-west-1")
          .jsonPath("$.regionName")
          .isEqualTo("EMEA")
          .jsonPath("$.expiresAt")
          .isEqualTo(clock.instant().plus(Duration.ofDays(30)).toString());
    }

    @Test
    void reRegisteringTheSameDeviceReturnsTheSameRegistrationRefreshed() {
      String bearer = caller();
      String token = apnsToken();
      Map<String, Object> first = registered(bearer, token);
      ((MutableClock) clock).advance(Duration.ofDays(3));

      register(bearer, apnsRequest(token))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.registrationId")
          .isEqualTo(first.get("registrationId"))
          .jsonPath("$.callbackUrl")
          .isEqualTo(first.get("callbackUrl"))
          .jsonPath("$.expiresAt")
          .isEqualTo(clock.instant().plus(Duration.ofDays(30)).toString());
    }
  }

  private String id(Map<String, Object> registration) {
    return (String) registration.get("registrationId");
  }

  private WebTestClient.RequestHeadersSpec<?> get(String bearer, String path) {
    return http.get().uri(path).headers(h -> h.setBearerAuth(bearer));
  }

  private WebTestClient.ResponseSpec bind(String bearer, String id, Object body) {
    return http.put()
        .uri("/v1/registrations/" + id + "/subscription")
        .headers(h -> h.setBearerAuth(bearer))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private static Map<String, Object> subscription(String subscriptionId) {
    return Map.of(
        "subscriptionId", subscriptionId, "inboxFolderId", "AQMkInbox=", "statusFrequency", 15);
  }

  @Nested
  class Operations {

    @Test
    void statusIsUnboundThenActiveThenStaleWhenExchangeGoesQuiet() {
      String bearer = caller();
      String id = id(registered(bearer, apnsToken()));

      get(bearer, "/v1/registrations/" + id)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("unbound");
      bind(bearer, id, subscription("sub-1"))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.subscription.subscriptionId")
          .isEqualTo("sub-1");
      get(bearer, "/v1/registrations/" + id)
          .exchange()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("active");

      ((MutableClock) clock).advance(Duration.ofMinutes(31)); // 2 x StatusFrequency without a word
      get(bearer, "/v1/registrations/" + id)
          .exchange()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("stale");
    }

    @Test
    void refreshingDoesNotHideAStaleSubscription() {
      String bearer = caller();
      String id = id(registered(bearer, apnsToken()));
      bind(bearer, id, subscription("sub-quiet")).expectStatus().isOk().expectBody();

      ((MutableClock) clock).advance(Duration.ofMinutes(31));
      http.post()
          .uri("/v1/registrations/" + id + "/refresh")
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody();

      get(bearer, "/v1/registrations/" + id)
          .exchange()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("stale");
    }

    @Test
    void everyBadSubscriptionFieldIsListed() {
      String bearer = caller();
      String id = id(registered(bearer, apnsToken()));

      bind(bearer, id, Map.of())
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.errors[*].field")
          .value(
              fields ->
                  assertThat(String.valueOf(fields))
                      .contains("subscriptionId", "inboxFolderId", "statusFrequency"));
    }

    @Test
    void aSubscriptionErrorReportedByExchangeShowsInTheStatus() {
      String bearer = caller();
      String id = id(registered(bearer, apnsToken()));
      bind(bearer, id, subscription("sub-failed")).expectStatus().isOk().expectBody();

      store
          .listenerState()
          .update(
              dev.inboxpush.model.RegistrationId.of(id),
              new dev.inboxpush.store.ListenerStateUpdate()
                  .subscriptionError(true)
                  .pushOutcome("accepted", clock.instant())
                  .lastSeen(clock.instant()))
          .block(Duration.ofSeconds(10));

      get(bearer, "/v1/registrations/" + id)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("subscription-error")
          .jsonPath("$.lastPushOutcome")
          .isEqualTo("accepted")
          .jsonPath("$.lastSeen")
          .isEqualTo(clock.instant().toString())
          .jsonPath("$.lastPushAt")
          .isEqualTo(clock.instant().toString());
    }

    @Test
    void bindingAgainReplacesTheSubscription() {
      String bearer = caller();
      String id = id(registered(bearer, apnsToken()));
      for (String subscription : List.of("sub-old", "sub-new")) {
        bind(bearer, id, subscription(subscription)).expectStatus().isOk().expectBody();
      }

      assertThat(
              store
                  .registrations()
                  .findBySubscriptionId(dev.inboxpush.model.SubscriptionId.of("sub-old"))
                  .collectList()
                  .block(Duration.ofSeconds(10)))
          .isEmpty();
      get(bearer, "/v1/registrations/" + id)
          .exchange()
          .expectBody()
          .jsonPath("$.registration.subscription.subscriptionId")
          .isEqualTo("sub-new");
    }

    @Test
    void theDeviceTokenRotatesAndATokenAlreadyRegisteredIsAConflict() {
      String bearer = caller();
      String id = id(registered(bearer, apnsToken()));
      String taken = apnsToken();
      registered(bearer, taken);
      String fresh = apnsToken();

      http.put()
          .uri("/v1/registrations/" + id + "/device-token")
          .headers(h -> h.setBearerAuth(bearer))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("deviceToken", fresh))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody();
      register(bearer, apnsRequest(fresh))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.registrationId")
          .isEqualTo(id);

      http.put()
          .uri("/v1/registrations/" + id + "/device-token")
          .headers(h -> h.setBearerAuth(bearer))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("deviceToken", taken))
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT)
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody();
      http.put()
          .uri("/v1/registrations/" + id + "/device-token")
          .headers(h -> h.setBearerAuth(bearer))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("deviceToken", "not hex"))
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody();
    }

    @Test
    void registrationsExpireUnlessRefreshed() {
      String bearer = caller();
      String kept = id(registered(bearer, apnsToken()));
      String lapsed = id(registered(bearer, apnsToken()));

      ((MutableClock) clock).advance(Duration.ofDays(29));
      http.post()
          .uri("/v1/registrations/" + kept + "/refresh")
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody();
      ((MutableClock) clock).advance(Duration.ofDays(2));

      get(bearer, "/v1/registrations/" + kept).exchange().expectStatus().isOk().expectBody();
      get(bearer, "/v1/registrations/" + lapsed)
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody();
    }

    @Test
    void deletingOneAndWipingAllOfTheCallers() {
      String bearer = caller();
      String other = caller();
      String one = id(registered(bearer, apnsToken()));
      registered(bearer, apnsToken());
      registered(bearer, apnsToken());
      String theirs = id(registered(other, apnsToken()));

      http.delete()
          .uri("/v1/registrations/" + one)
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isNoContent()
          .expectBody();
      http.delete()
          .uri("/v1/registrations/" + one)
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody();
      http.delete()
          .uri("/v1/registrations")
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.deleted")
          .isEqualTo(2);

      get(other, "/v1/registrations/" + theirs).exchange().expectStatus().isOk().expectBody();
    }

    @Test
    void aMalformedIdIsNotFound() {
      get(caller(), "/v1/registrations/not-a-registration")
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody();
      // Encoded slashes are refused by Spring Security's firewall before routing.
      get(caller(), "/v1/registrations/..%2F..%2Fetc")
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectBody();
      get(caller(), "/v1/registrations/" + "x".repeat(5000))
          .exchange()
          .expectStatus()
          .is4xxClientError()
          .expectBody();
    }

    @Test
    void theOpenApiDocumentIsServedWithoutATokenAndNamesEveryRoute() {
      // The document is larger than the 16 KB the client's codecs take by default (the service's
      // own request limit, which WebTestClient shares).
      String document =
          http.mutate()
              .codecs(c -> c.defaultCodecs().maxInMemorySize(1024 * 1024))
              .build()
              .get()
              .uri("/v1/openapi.yaml")
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody(String.class)
              .returnResult()
              .getResponseBody();

      assertThat(document)
          .contains(
              "/v1/registrations:",
              "/v1/registrations/{id}:",
              "/v1/registrations/{id}/subscription:",
              "/v1/registrations/{id}/graph-subscription:",
              "/v1/registrations/{id}/device-token:",
              "/v1/registrations/{id}/refresh:");
    }

    @Test
    void operationsAreCounted() {
      String bearer = caller();
      registered(bearer, apnsToken());
      register(bearer, Map.of()).expectStatus().isBadRequest().expectBody();

      String metrics = ManagementClient.scrape(managementPort);
      assertThat(metrics)
          .contains("inboxpush_registration_registrations_total{outcome=\"created\"")
          .contains("inboxpush_registration_rejected_total{reason=\"invalid\"")
          .contains("http_server_requests_seconds");
    }
  }

  @Nested
  class Security {

    static Stream<Arguments> badTokens() {
      return Stream.of(
          Arguments.of("forged signature", ISSUER.forged("mallory", AUDIENCE)),
          Arguments.of("alg none", ISSUER.unsigned("mallory", AUDIENCE)),
          Arguments.of("expired", ISSUER.expired("mallory", AUDIENCE)),
          Arguments.of("wrong issuer", ISSUER.wrongIssuer("mallory", AUDIENCE)),
          Arguments.of("wrong audience", ISSUER.token("mallory", "another-api")),
          Arguments.of("no subject", ISSUER.withoutSubject(AUDIENCE)),
          Arguments.of("not yet valid", ISSUER.notYetValid("mallory", AUDIENCE)),
          Arguments.of(
              "HS256 keyed with the public key", ISSUER.hs256WithThePublicKey("mallory", AUDIENCE)),
          Arguments.of(
              "kid of the published key", ISSUER.kidOfThePublishedKey("mallory", AUDIENCE)),
          Arguments.of("jku pointing elsewhere", ISSUER.jkuPointingElsewhere("mallory", AUDIENCE)),
          Arguments.of("garbage", "not.a.jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokensGet401AndWriteNothing(String label, String bearer) {
      var before = items();

      register(bearer, apnsRequest(apnsToken()))
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo(401);

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void aFilterRefusalIsTheSameProblemJsonAsAControllersAndIsCounted() {
      double before = rejected("unauthenticated");

      http.post()
          .uri("/v1/registrations")
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(apnsRequest(apnsToken()))
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .valueEquals("WWW-Authenticate", "Bearer")
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/unauthenticated")
          .jsonPath("$.title")
          .isEqualTo("Unauthorized")
          .jsonPath("$.status")
          .isEqualTo(401)
          .jsonPath("$.detail")
          .isEqualTo("A valid bearer token is required.");

      assertThat(rejected("unauthenticated")).isEqualTo(before + 1);

      // The same members as a controller's problem detail: both come from the JSON encoder.
      String id = (String) registered(caller(), apnsToken()).get("registrationId");
      Map<?, ?> fromController =
          http.get()
              .uri("/v1/registrations/" + id)
              .headers(h -> h.setBearerAuth(caller()))
              .exchange()
              .expectStatus()
              .isNotFound()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      Map<?, ?> fromFilter =
          http.get()
              .uri("/v1/registrations/" + id)
              .exchange()
              .expectStatus()
              .isUnauthorized()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      assertThat(fromFilter.keySet()).isEqualTo(fromController.keySet());
    }

    @Test
    void aValidTokenMayNotReachAnythingButTheApi() {
      http.get()
          .uri("/admin")
          .headers(h -> h.setBearerAuth(caller()))
          .exchange()
          .expectStatus()
          .isForbidden()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody();
      http.get().uri("/admin").exchange().expectStatus().isUnauthorized().expectBody();
    }

    @Test
    void noTokenGets401() {
      http.get()
          .uri("/v1/registrations/" + UUID.randomUUID())
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectBody();
    }

    @Test
    void anotherCallersRegistrationIsNotFoundAndCannotBeChanged() {
      Map<String, Object> mine = registered(caller(), apnsToken());
      String id = (String) mine.get("registrationId");
      String mallory = caller();
      var before = items();

      http.get()
          .uri("/v1/registrations/" + id)
          .headers(h -> h.setBearerAuth(mallory))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/not-found");
      http.delete()
          .uri("/v1/registrations/" + id)
          .headers(h -> h.setBearerAuth(mallory))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody();
      bind(mallory, id, Map.of("subscriptionId", "s", "inboxFolderId", "f", "statusFrequency", 30))
          .expectStatus()
          .isNotFound()
          .expectBody();

      assertThat(items()).isEqualTo(before);
    }
  }

  @Nested
  class HostileInput {

    static Stream<Arguments> invalidBodies() {
      return Stream.of(
          Arguments.of(
              "unknown platform",
              Map.of("platform", "wns", "appId", "a", "deviceToken", "x"),
              HttpStatus.BAD_REQUEST),
          Arguments.of(
              "huge token",
              Map.of("platform", "fcm", "appId", "a", "deviceToken", "x".repeat(10_000)),
              HttpStatus.BAD_REQUEST),
          Arguments.of(
              "control characters",
              Map.of(
                  "platform",
                  "fcm",
                  "appId",
                  "com.example\u0000",
                  "deviceToken",
                  "abcdefghijklmnop\n"),
              HttpStatus.BAD_REQUEST),
          Arguments.of(
              "apns without environment",
              Map.of("platform", "apns", "appId", "a", "deviceToken", "ab".repeat(32)),
              HttpStatus.BAD_REQUEST),
          Arguments.of(
              "fcm with environment",
              Map.of(
                  "platform",
                  "fcm",
                  "appId",
                  "a",
                  "apnsEnvironment",
                  "sandbox",
                  "deviceToken",
                  "abcdefghijklmnopq"),
              HttpStatus.BAD_REQUEST),
          Arguments.of(
              "wrong type",
              Map.of("platform", 7, "appId", List.of(), "deviceToken", Map.of()),
              HttpStatus.BAD_REQUEST),
          Arguments.of(
              "status frequency out of range",
              Map.of(
                  "platform",
                  "fcm",
                  "appId",
                  "a",
                  "deviceToken",
                  "abcdefghijklmnopq",
                  "subscription",
                  Map.of("subscriptionId", "s", "inboxFolderId", "f", "statusFrequency", 5000)),
              HttpStatus.BAD_REQUEST),
          Arguments.of("empty object", Map.of(), HttpStatus.BAD_REQUEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidBodiesAreRefusedFieldByFieldAndWriteNothing(
        String label, Object body, HttpStatus status) {
      var before = items();

      register(caller(), body)
          .expectStatus()
          .isEqualTo(status)
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody();

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void everyBadFieldIsListed() {
      register(caller(), Map.of("platform", "apns", "appId", "bad app", "deviceToken", "zz"))
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.errors[*].field")
          .value(
              fields ->
                  assertThat(String.valueOf(fields))
                      .contains("appId", "deviceToken", "apnsEnvironment"));
    }

    @Test
    void malformedJsonGets400() {
      var before = items();

      http.post()
          .uri("/v1/registrations")
          .headers(h -> h.setBearerAuth(caller()))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{\"platform\": \"apns\", ")
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody();

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitGets413() {
      var before = items();
      double tooLarge = rejected("too_large");

      register(
              caller(), Map.of("platform", "fcm", "appId", "a", "deviceToken", "x".repeat(100_000)))
          .expectStatus()
          .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/too-large");

      assertThat(items()).isEqualTo(before);
      assertThat(rejected("too_large")).isEqualTo(tooLarge + 1);
    }

    @Test
    void aWrongContentTypeGets415() {
      http.post()
          .uri("/v1/registrations")
          .headers(h -> h.setBearerAuth(caller()))
          .contentType(MediaType.TEXT_PLAIN)
          .bodyValue("platform=apns")
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
          .expectBody();
    }
  }
}
