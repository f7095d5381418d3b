package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.store.GraphLifecycle;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.time.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Registrations of kind {@code graph} through the real service over real HTTP (JWTs from a local
 * issuer, dynalite behind it, a test clock): the two Graph URLs and the {@code clientState} secret,
 * binding the Graph subscription, the kind conflicts both ways, and the status as the listener's
 * lifecycle events and the subscription's expiry move it. The listener's writes are made here
 * through the store, as the listener makes them. Every refused request is checked to have written
 * nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Longer than the default 5 s: the first request (keys fetched, table created) on a loaded machine.
@AutoConfigureWebTestClient(timeout = "30s")
@Import(GraphRegistrationApiIT.TestClock.class)
class GraphRegistrationApiIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final String AUDIENCE = "inboxpush-test";
  static final String TABLE = "graph-api-" + UUID.randomUUID();
  static final String LISTENER = "https://listener.eu.example.com";

  /** As Graph writes {@code expirationDateTime}: seven fractional digits and a Z. */
  static final DateTimeFormatter GRAPH_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** The other form Graph writes: whole seconds and an offset. */
  static final DateTimeFormatter OFFSET_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

  /** The notification URL, its callback token captured. */
  static final Pattern NOTIFICATION_URL =
      Pattern.compile(Pattern.quote(LISTENER) + "/graph/v1/([A-Za-z0-9_-]{64})");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Map<String, String> store = DynaliteProperties.forTable("unused", Dynalite.shared());
    store.put("inboxpush.dynamodb.table-name", TABLE);
    store.forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AUDIENCE);
    registry.add("inboxpush.registration.listener-base-url", () -> LISTENER);
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
  @Autowired DynamoStore store;
  @Autowired Clock clock;
  @Autowired MeterRegistry meters;

  // ---- requests --------------------------------------------------------------------------------

  private static String caller() {
    return ISSUER.token("user-" + UUID.randomUUID(), AUDIENCE);
  }

  private static String fcmToken() {
    return "fcm-" + UUID.randomUUID();
  }

  private static Map<String, Object> fcm(String token, String kind) {
    return Map.of("platform", "fcm", "appId", "example-mail", "deviceToken", token, "kind", kind);
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
  private Map<String, Object> registered(String bearer, Object body) {
    return register(bearer, body)
        .expectStatus()
        .isCreated()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }

  private String registeredGraph(String bearer) {
    return (String) registered(bearer, fcm(fcmToken(), "graph")).get("registrationId");
  }

  private WebTestClient.ResponseSpec put(String bearer, String path, Object body) {
    return http.put()
        .uri(path)
        .headers(h -> h.setBearerAuth(bearer))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private WebTestClient.ResponseSpec bindGraph(String bearer, String id, Object body) {
    return put(bearer, "/v1/registrations/" + id + "/graph-subscription", body);
  }

  private static Map<String, Object> graphSubscription(String subscriptionId, String expiration) {
    return Map.of("subscriptionId", subscriptionId, "expirationDateTime", expiration);
  }

  /** A valid bind of a new Graph subscription expiring in two days; its id. */
  private String boundGraph(String bearer, String id) {
    String subscriptionId = UUID.randomUUID().toString();
    bindGraph(bearer, id, graphSubscription(subscriptionId, inGraphTime(Duration.ofDays(2))))
        .expectStatus()
        .isOk()
        .expectBody();
    return subscriptionId;
  }

  private String inGraphTime(Duration fromNow) {
    return GRAPH_TIME.format(clock.instant().plus(fromNow));
  }

  private WebTestClient.BodyContentSpec status(String bearer, String id) {
    return http.get()
        .uri("/v1/registrations/" + id)
        .headers(h -> h.setBearerAuth(bearer))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody();
  }

  /** Writes what a listener writes when Graph sends a lifecycle notification. */
  private void lifecycle(String id, GraphLifecycleEvent event, String subscriptionId) {
    store
        .listenerState()
        .update(
            RegistrationId.of(id),
            new ListenerStateUpdate()
                .graphLifecycle(
                    new GraphLifecycle(event, SubscriptionId.of(subscriptionId), clock.instant())))
        .block(Duration.ofSeconds(10));
  }

  private void advance(Duration by) {
    ((MutableClock) clock).advance(by);
  }

  private double graphBound() {
    return meters
        .get("inboxpush.registration.registrations")
        .tag("outcome", "graph_bound")
        .counter()
        .count();
  }

  /** Every item in the table, to prove that a refused request wrote nothing. */
  private List<Map<String, AttributeValue>> items() {
    return Dynalite.shared()
        .sharedClient()
        .scan(ScanRequest.builder().tableName(TABLE).build())
        .join()
        .items();
  }

  private static void assertProblem(WebTestClient.ResponseSpec answer, HttpStatus status) {
    answer
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody();
  }

  // ---- the tests -------------------------------------------------------------------------------

  @Nested
  class Registering {

    @Test
    void a201CarriesBothGraphUrlsAndTheClientStateAndNoCallbackUrl() {
      Map<String, Object> created = registered(caller(), fcm(fcmToken(), "graph"));

      assertThat(created)
          .containsEntry("kind", "graph")
          .containsEntry("callbackUrl", null)
          .containsEntry("subscription", null)
          .containsEntry("graphSubscription", null);
      String notificationUrl = (String) created.get("notificationUrl");
      assertThat(notificationUrl).matches(NOTIFICATION_URL);
      assertThat(created).containsEntry("lifecycleNotificationUrl", notificationUrl + "/lifecycle");
      String clientState = (String) created.get("clientState");
      assertThat(clientState).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(128);
      assertThat(Base64.getUrlDecoder().decode(clientState)).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void theClientStateIsShownOnlyToTheRegisteringCallerAndStoredOnlyAsAHashThatMatchesIt() {
      String bearer = caller();
      String token = fcmToken();
      Map<String, Object> created = registered(bearer, fcm(token, "graph"));
      String id = (String) created.get("registrationId");
      String clientState = (String) created.get("clientState");

      // Registering again refreshes the same registration and answers the same secret (derived
      // for this caller, app and token: a registration adopted after a failover has it too).
      register(bearer, fcm(token, "graph"))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.registrationId")
          .isEqualTo(id)
          .jsonPath("$.notificationUrl")
          .isEqualTo(created.get("notificationUrl"))
          .jsonPath("$.clientState")
          .isEqualTo(clientState);
      status(bearer, id).jsonPath("$.registration.clientState").isEmpty();
      boundGraph(bearer, id);
      status(bearer, id).jsonPath("$.registration.clientState").isEmpty();

      // Not in any item, in any form the response could have shown it; its hash verifies it.
      assertThat(items().toString()).doesNotContain(clientState);
      Registration stored =
          store.registrations().findById(RegistrationId.of(id)).block(Duration.ofSeconds(10));
      assertThat(stored.clientState().matches(clientState)).isTrue();
      assertThat(stored.clientState().matches(clientState + "x")).isFalse();
    }

    @Test
    void everyRegistrationHasItsOwnUrlsAndSecret() {
      String bearer = caller();
      Map<String, Object> one = registered(bearer, fcm(fcmToken(), "graph"));
      Map<String, Object> two = registered(bearer, fcm(fcmToken(), "graph"));

      assertThat(one.get("notificationUrl")).isNotEqualTo(two.get("notificationUrl"));
      assertThat(one.get("clientState")).isNotEqualTo(two.get("clientState"));
      Matcher token = NOTIFICATION_URL.matcher((String) one.get("notificationUrl"));
      assertThat(token.matches()).isTrue();
      assertThat(token.group(1)).isNotEqualTo(one.get("clientState"));
    }

    @Test
    void anEwsRegistrationSaysSoAndHasNoGraphFields() {
      String bearer = caller();
      Map<String, Object> ews =
          registered(bearer, Map.of("platform", "fcm", "appId", "a", "deviceToken", fcmToken()));

      assertThat(ews)
          .containsEntry("kind", "ews")
          .containsEntry("notificationUrl", null)
          .containsEntry("lifecycleNotificationUrl", null)
          .containsEntry("clientState", null)
          .containsEntry("graphSubscription", null);
      assertThat((String) ews.get("callbackUrl")).startsWith(LISTENER + "/ews/v1/");
      assertThat(registered(bearer, fcm(fcmToken(), "ews"))).containsEntry("kind", "ews");
      status(bearer, (String) ews.get("registrationId")).jsonPath("$.graph").isEmpty();
    }

    @Test
    void theSameDeviceWithTheOtherKindIsAConflictThatChangesNothing() {
      String bearer = caller();
      String ewsToken = fcmToken();
      String graphToken = fcmToken();
      Object ews = registered(bearer, fcm(ewsToken, "ews")).get("registrationId");
      Object graph = registered(bearer, fcm(graphToken, "graph")).get("registrationId");
      var before = items();

      register(bearer, fcm(ewsToken, "graph"))
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/conflict")
          .jsonPath("$.detail")
          .value(
              detail ->
                  assertThat((String) detail)
                      .contains("with kind ews")
                      .contains("delete that registration"))
          .jsonPath("$.registrationId")
          .isEqualTo(ews)
          .jsonPath("$.kind")
          .isEqualTo("ews");
      register(
              bearer, Map.of("platform", "fcm", "appId", "example-mail", "deviceToken", graphToken))
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT)
          .expectBody()
          .jsonPath("$.detail")
          .value(detail -> assertThat((String) detail).contains("with kind graph"))
          .jsonPath("$.registrationId")
          .isEqualTo(graph)
          .jsonPath("$.kind")
          .isEqualTo("graph");

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void afterDeletingItTheDeviceRegistersWithTheOtherKind() {
      String bearer = caller();
      String token = fcmToken();
      String id = (String) registered(bearer, fcm(token, "ews")).get("registrationId");
      http.delete()
          .uri("/v1/registrations/" + id)
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isNoContent();

      assertThat(registered(bearer, fcm(token, "graph"))).containsEntry("kind", "graph");
    }

    static Stream<Arguments> refusedRegistrations() {
      Map<String, Object> ewsSubscription =
          Map.of("subscriptionId", "s", "inboxFolderId", "f", "statusFrequency", 30);
      return Stream.of(
          Arguments.of(
              "unknown kind",
              Map.of("platform", "fcm", "appId", "a", "deviceToken", fcmToken(), "kind", "wns"),
              List.of("kind")),
          Arguments.of(
              "empty kind",
              Map.of("platform", "fcm", "appId", "a", "deviceToken", fcmToken(), "kind", ""),
              List.of("kind")),
          Arguments.of(
              "graph with an EWS subscription",
              Map.of(
                  "platform",
                  "fcm",
                  "appId",
                  "a",
                  "deviceToken",
                  fcmToken(),
                  "kind",
                  "graph",
                  "subscription",
                  ewsSubscription),
              List.of("subscription")),
          Arguments.of(
              "unknown kind and a bad token, together",
              Map.of("platform", "fcm", "appId", "a", "deviceToken", "short", "kind", "exchange"),
              List.of("deviceToken", "kind")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRegistrations")
    void badKindsAreRefusedNamingTheFieldAndWriteNothing(
        String label, Map<String, Object> body, List<String> fields) {
      var before = items();

      register(caller(), body)
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/invalid-fields")
          .jsonPath("$.errors[*].field")
          .value(
              found ->
                  assertThat(found)
                      .asInstanceOf(InstanceOfAssertFactories.LIST)
                      .containsExactlyInAnyOrderElementsOf(fields));

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void aWrongTypeOfKindIsRefused() {
      var before = items();

      register(
              caller(),
              Map.of("platform", "fcm", "appId", "a", "deviceToken", fcmToken(), "kind", List.of()))
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/unreadable");

      assertThat(items()).isEqualTo(before);
    }
  }

  @Nested
  class Binding {

    @Test
    void bindingAndRebindingAsGraphWritesTheExpiration() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      String first = UUID.randomUUID().toString();
      String second = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
      Instant firstExpiry = clock.instant().plus(Duration.ofDays(2));
      Instant secondExpiry = clock.instant().plus(Duration.ofDays(6));
      double before = graphBound();

      bindGraph(bearer, id, graphSubscription(first, GRAPH_TIME.format(firstExpiry)))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.kind")
          .isEqualTo("graph")
          .jsonPath("$.graphSubscription.subscriptionId")
          .isEqualTo(first)
          .jsonPath("$.graphSubscription.expirationDateTime")
          .isEqualTo(firstExpiry.toString())
          .jsonPath("$.subscription")
          .isEmpty()
          .jsonPath("$.clientState")
          .isEmpty();
      // Renewed (or re-created): the offset form Graph also writes.
      String offsetForm = OFFSET_TIME.format(secondExpiry);
      assertThat(offsetForm).endsWith("+00:00");
      bindGraph(bearer, id, graphSubscription(second, offsetForm))
          .expectStatus()
          .isOk()
          .expectBody();

      // A GUID's case means nothing: kept in lower case, as Graph writes it in notifications.
      String secondAsGraphWritesIt = second.toLowerCase(java.util.Locale.ROOT);
      status(bearer, id)
          .jsonPath("$.registration.graphSubscription.subscriptionId")
          .isEqualTo(secondAsGraphWritesIt)
          .jsonPath("$.registration.graphSubscription.expirationDateTime")
          .isEqualTo(secondExpiry.toString());
      assertThat(graphBound()).isEqualTo(before + 2);
      Registration stored =
          store.registrations().findById(RegistrationId.of(id)).block(Duration.ofSeconds(10));
      assertThat(stored.boundSubscriptionId()).isEqualTo(SubscriptionId.of(secondAsGraphWritesIt));
      assertThat(stored.boundAt()).isEqualTo(clock.instant());
    }

    @Test
    void anOffsetOtherThanUtcIsTheSameInstant() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      Instant expiry = clock.instant().plus(Duration.ofDays(1));

      bindGraph(
              bearer,
              id,
              graphSubscription(
                  UUID.randomUUID().toString(), expiry.atOffset(ZoneOffset.ofHours(2)).toString()))
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.graphSubscription.expirationDateTime")
          .isEqualTo(expiry.toString());
    }

    @Test
    void theLongestLifetimeGraphGivesIsAcceptedAndAnHourOfSkewOnTop() {
      String bearer = caller();
      String id = registeredGraph(bearer);

      bindGraph(
              bearer,
              id,
              graphSubscription(
                  UUID.randomUUID().toString(),
                  inGraphTime(Duration.ofMinutes(10_080).plusHours(1))))
          .expectStatus()
          .isOk()
          .expectBody();
    }

    static Stream<Arguments> badSubscriptions() {
      String guid = "7f105c7d-2dc5-4530-97cd-4e7ae6534c07";
      Function<Instant, String> inTwoDays = now -> GRAPH_TIME.format(now.plus(Duration.ofDays(2)));
      return Stream.of(
          Arguments.of("empty object", (Function<Instant, String>) now -> "{}", fields("both")),
          Arguments.of(
              "not a GUID",
              body("7f105c7d-2dc5-4530-97cd-4e7ae6534c0", inTwoDays),
              fields("subscriptionId")),
          Arguments.of(
              "a GUID in braces", body("{" + guid + "}", inTwoDays), fields("subscriptionId")),
          Arguments.of(
              "an EWS SubscriptionId",
              body("FwBleGNoMDEuZXhhbXBsZS5jb20QAAAA", inTwoDays),
              fields("subscriptionId")),
          Arguments.of(
              "no offset",
              body(guid, now -> now.plus(Duration.ofDays(1)).toString().replace("Z", "")),
              fields("expirationDateTime")),
          Arguments.of(
              "a date without a time",
              body(guid, now -> "2026-11-30"),
              fields("expirationDateTime")),
          Arguments.of(
              "epoch seconds as text",
              body(guid, now -> String.valueOf(now.plus(Duration.ofDays(1)).getEpochSecond())),
              fields("expirationDateTime")),
          Arguments.of(
              "in the past",
              body(guid, now -> GRAPH_TIME.format(now.minusSeconds(1))),
              fields("expirationDateTime")),
          Arguments.of("now", body(guid, GRAPH_TIME::format), fields("expirationDateTime")),
          Arguments.of(
              "a second too far ahead",
              body(
                  guid,
                  now ->
                      GRAPH_TIME.format(
                          now.plus(Duration.ofMinutes(10_080).plusHours(1).plusSeconds(1)))),
              fields("expirationDateTime")),
          Arguments.of(
              "a year ahead",
              body(guid, now -> GRAPH_TIME.format(now.plus(Duration.ofDays(365)))),
              fields("expirationDateTime")),
          Arguments.of(
              "both bad at once",
              body("not-a-guid", now -> "tomorrow"),
              fields("subscriptionId", "expirationDateTime")),
          Arguments.of(
              "a long expiration",
              body(guid, now -> "2026-11-28T12:00:00." + "0".repeat(100) + "Z"),
              fields("expirationDateTime")));
    }

    private static Function<Instant, String> body(
        String subscriptionId, Function<Instant, String> expiration) {
      return now ->
          """
          {"subscriptionId": "%s", "expirationDateTime": "%s"}"""
              .formatted(subscriptionId, expiration.apply(now));
    }

    private static List<String> fields(String... names) {
      return names.length == 1 && names[0].equals("both")
          ? List.of("subscriptionId", "expirationDateTime")
          : List.of(names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubscriptions")
    void everyBadFieldIsListedTogetherAndNothingIsWritten(
        String label, Function<Instant, String> body, List<String> fields) {
      String bearer = caller();
      String id = registeredGraph(bearer);
      var before = items();

      bindGraph(bearer, id, body.apply(clock.instant()))
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/invalid-fields")
          .jsonPath("$.errors[*].field")
          .value(
              found ->
                  assertThat(found)
                      .asInstanceOf(InstanceOfAssertFactories.LIST)
                      .containsExactlyElementsOf(fields));

      assertThat(items()).isEqualTo(before);
    }

    static Stream<Arguments> unreadableBodies() {
      return Stream.of(
          Arguments.of("malformed JSON", "{\"subscriptionId\": \"7f105c7d-"),
          Arguments.of(
              "an object for the id", "{\"subscriptionId\": {}, \"expirationDateTime\": 1}"),
          Arguments.of(
              "an array for the expiration",
              "{\"subscriptionId\": \"7f105c7d-2dc5-4530-97cd-4e7ae6534c07\","
                  + " \"expirationDateTime\": [\"2026-11-28T12:00:00Z\"]}"),
          Arguments.of("an array for the body", "[]"),
          Arguments.of("deeply nested", "[".repeat(5000) + "]".repeat(5000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableBodies")
    void aBodyThatIsNotTheJsonExpectedGets400AndWritesNothing(String label, String body) {
      String bearer = caller();
      String id = registeredGraph(bearer);
      var before = items();

      http.put()
          .uri("/v1/registrations/" + id + "/graph-subscription")
          .headers(h -> h.setBearerAuth(bearer))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(body)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/unreadable");

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void aNumberForTheExpirationIsRefused() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      var before = items();

      assertProblem(
          bindGraph(
              bearer,
              id,
              Map.of(
                  "subscriptionId",
                  UUID.randomUUID().toString(),
                  "expirationDateTime",
                  clock.instant().plus(Duration.ofDays(1)).getEpochSecond())),
          HttpStatus.BAD_REQUEST);

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void anOversizedBodyGets413AndAWrongContentType415() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      var before = items();

      assertProblem(
          bindGraph(bearer, id, graphSubscription("x".repeat(100_000), inGraphTime(Duration.ZERO))),
          HttpStatus.CONTENT_TOO_LARGE);
      assertProblem(
          http.put()
              .uri("/v1/registrations/" + id + "/graph-subscription")
              .headers(h -> h.setBearerAuth(bearer))
              .contentType(MediaType.TEXT_PLAIN)
              .bodyValue("subscriptionId=" + UUID.randomUUID())
              .exchange(),
          HttpStatus.UNSUPPORTED_MEDIA_TYPE);

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void eachKindsBindOnTheOtherKindIsAConflictThatChangesNothing() {
      String bearer = caller();
      String graph = registeredGraph(bearer);
      String ews = (String) registered(bearer, fcm(fcmToken(), "ews")).get("registrationId");
      var before = items();

      put(
              bearer,
              "/v1/registrations/" + graph + "/subscription",
              Map.of(
                  "subscriptionId", "sub-1", "inboxFolderId", "AQMkInbox=", "statusFrequency", 15))
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT)
          .expectBody()
          .jsonPath("$.type")
          .isEqualTo("https://inboxpush.dev/problems/conflict")
          .jsonPath("$.detail")
          .value(detail -> assertThat((String) detail).contains("graph-subscription"));
      bindGraph(
              bearer,
              ews,
              graphSubscription(UUID.randomUUID().toString(), inGraphTime(Duration.ofDays(1))))
          .expectStatus()
          .isEqualTo(HttpStatus.CONFLICT)
          .expectBody()
          .jsonPath("$.detail")
          .value(detail -> assertThat((String) detail).contains("/subscription."));

      assertThat(items()).isEqualTo(before);
    }

    @Test
    void anotherCallersOrAnUnknownRegistrationIsNotFoundAndUnchanged() {
      String bearer = caller();
      String mine = registeredGraph(bearer);
      String theirsEws = (String) registered(bearer, fcm(fcmToken(), "ews")).get("registrationId");
      String mallory = caller();
      Map<String, Object> valid =
          graphSubscription(UUID.randomUUID().toString(), inGraphTime(Duration.ofDays(1)));
      var before = items();

      for (String id : List.of(mine, UUID.randomUUID().toString(), "not-a-registration")) {
        bindGraph(mallory, id, valid)
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("https://inboxpush.dev/problems/not-found");
      }
      // Another caller's EWS registration: 404 as well, not 409 (which would tell it exists).
      bindGraph(mallory, theirsEws, valid).expectStatus().isNotFound().expectBody();
      put(
              mallory,
              "/v1/registrations/" + mine + "/subscription",
              Map.of("subscriptionId", "s", "inboxFolderId", "f", "statusFrequency", 30))
          .expectStatus()
          .isNotFound()
          .expectBody();

      assertThat(items()).isEqualTo(before);
      http.get()
          .uri("/v1/registrations/" + mine)
          .headers(h -> h.setBearerAuth(mallory))
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectBody();
    }

    @Test
    void anExpiredRegistrationCannotBeBound() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      advance(Duration.ofDays(31));

      bindGraph(
              bearer,
              id,
              graphSubscription(UUID.randomUUID().toString(), inGraphTime(Duration.ofDays(1))))
          .expectStatus()
          .isNotFound()
          .expectBody();
    }
  }

  @Nested
  class Status {

    @Test
    void unboundThenActiveThenWhatGraphSaidUntilTheNextBindThenStaleAfterTheExpiry() {
      String bearer = caller();
      String id = registeredGraph(bearer);

      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("unbound")
          .jsonPath("$.graph.lifecycleEvent")
          .isEmpty()
          .jsonPath("$.graph.lifecycleEventAt")
          .isEmpty();

      String first = boundGraph(bearer, id);
      status(bearer, id).jsonPath("$.status").isEqualTo("active");

      advance(Duration.ofMinutes(5));
      lifecycle(id, GraphLifecycleEvent.REAUTHORIZATION_REQUIRED, first);
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("reauthorization-required")
          .jsonPath("$.graph.lifecycleEvent")
          .isEqualTo("reauthorization-required")
          .jsonPath("$.graph.lifecycleEventAt")
          .isEqualTo(clock.instant().toString());

      // Renewed and bound again: the event is behind the bind.
      advance(Duration.ofMinutes(1));
      bindGraph(bearer, id, graphSubscription(first, inGraphTime(Duration.ofDays(2))))
          .expectStatus()
          .isOk()
          .expectBody();
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("active")
          .jsonPath("$.graph.lifecycleEvent")
          .isEmpty();

      advance(Duration.ofHours(1));
      lifecycle(id, GraphLifecycleEvent.SUBSCRIPTION_REMOVED, first);
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("subscription-removed")
          .jsonPath("$.graph.lifecycleEvent")
          .isEqualTo("subscription-removed");
      // Refreshing the registration is no bind: still removed.
      http.post()
          .uri("/v1/registrations/" + id + "/refresh")
          .headers(h -> h.setBearerAuth(bearer))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody();
      status(bearer, id).jsonPath("$.status").isEqualTo("subscription-removed");

      // Re-created and bound.
      advance(Duration.ofMinutes(1));
      String second = boundGraph(bearer, id);
      status(bearer, id).jsonPath("$.status").isEqualTo("active");

      // Missed notifications: shown, but the subscription still works.
      advance(Duration.ofMinutes(1));
      lifecycle(id, GraphLifecycleEvent.MISSED, second);
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("active")
          .jsonPath("$.graph.lifecycleEvent")
          .isEqualTo("missed");

      // Past the bound expiration (two days from the bind) with no renewal bound.
      advance(Duration.ofDays(2));
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("stale")
          .jsonPath("$.graph.lifecycleEvent")
          .isEqualTo("missed");
    }

    @Test
    void aLifecycleEventFromBeforeTheBindIsNotCurrent() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      String old = UUID.randomUUID().toString();
      lifecycle(id, GraphLifecycleEvent.SUBSCRIPTION_REMOVED, old);
      // A removal wins even while nothing is bound: the listener may have taken that subscription
      // from a first notification, and binding it now would not bring it back.
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("subscription-removed")
          .jsonPath("$.graph.lifecycleEvent")
          .isEqualTo("subscription-removed");

      advance(Duration.ofSeconds(1));
      boundGraph(bearer, id);

      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("active")
          .jsonPath("$.graph.lifecycleEvent")
          .isEmpty();
    }

    @Test
    void bindingTheRemovedSubscriptionAgainDoesNotClearItsRemoval() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      String removed = boundGraph(bearer, id);
      advance(Duration.ofMinutes(1));
      lifecycle(id, GraphLifecycleEvent.SUBSCRIPTION_REMOVED, removed);

      advance(Duration.ofMinutes(1));
      bindGraph(bearer, id, graphSubscription(removed, inGraphTime(Duration.ofDays(2))))
          .expectStatus()
          .isOk()
          .expectBody();

      status(bearer, id).jsonPath("$.status").isEqualTo("subscription-removed");
    }

    @Test
    void anExpiredSubscriptionIsStaleEvenWhenGraphAskedForAReauthorization() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      String first = boundGraph(bearer, id);
      advance(Duration.ofMinutes(1));
      lifecycle(id, GraphLifecycleEvent.REAUTHORIZATION_REQUIRED, first);
      status(bearer, id).jsonPath("$.status").isEqualTo("reauthorization-required");

      // Too late to renew: Graph cannot renew an expired subscription; the app creates one.
      advance(Duration.ofDays(3));
      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("stale")
          .jsonPath("$.graph.lifecycleEvent")
          .isEqualTo("reauthorization-required");
    }

    @Test
    void whatTheListenerSawShowsForGraphToo() {
      String bearer = caller();
      String id = registeredGraph(bearer);
      boundGraph(bearer, id);
      Instant now = clock.instant();
      store
          .listenerState()
          .update(
              RegistrationId.of(id),
              new ListenerStateUpdate().lastSeen(now).pushOutcome("accepted", now))
          .block(Duration.ofSeconds(10));

      status(bearer, id)
          .jsonPath("$.status")
          .isEqualTo("active")
          .jsonPath("$.lastSeen")
          .isEqualTo(now.toString())
          .jsonPath("$.lastPushOutcome")
          .isEqualTo("accepted")
          .jsonPath("$.lastPushAt")
          .isEqualTo(now.toString());
    }

    @Test
    void anEwsRegistrationIgnoresGraphLifecycleEvents() {
      String bearer = caller();
      String id = (String) registered(bearer, fcm(fcmToken(), "ews")).get("registrationId");
      lifecycle(id, GraphLifecycleEvent.SUBSCRIPTION_REMOVED, UUID.randomUUID().toString());

      status(bearer, id).jsonPath("$.status").isEqualTo("unbound").jsonPath("$.graph").isEmpty();
    }
  }
}
