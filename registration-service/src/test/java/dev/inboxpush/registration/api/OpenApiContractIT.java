package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.inboxpush.model.GraphLifecycleEvent;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.registration.problem.ProblemType;
import dev.inboxpush.store.GraphLifecycle;
import dev.inboxpush.store.ListenerStateUpdate;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document against the running service: real HTTP requests to every operation, and each
 * request and answer (status, headers, content type, body) checked by swagger-request-validator
 * against the document as {@code /v1/openapi.yaml} serves it. The validator is strict where the
 * document is silent: a body field the document does not list is an error, so the document must
 * name everything the API sends. A test that sends a request the document forbids (a bad field, the
 * wrong content type, a body too large, an id that is no UUID) checks the answer alone, and that
 * the document forbids the request too.
 *
 * <p>The last test fails unless every answer the document lists (each status of each operation) was
 * seen here and conformed: a response added to the document needs a case here.
 *
 * <p>A private dynalite, kept on disk: the 503 test stops it and starts it again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final String AUDIENCE = "inboxpush-contract";
  static final Dynalite DYNALITE = startDynalite();

  /**
   * Requests per caller per hour: each test's caller stays well under it; the flooder goes over.
   */
  static final int PER_CALLER = 30;

  /** {@code operationId status} of every answer seen that conformed to the document. */
  static final Set<String> CONFORMED = ConcurrentHashMap.newKeySet();

  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final JsonMapper JSON = JsonMapper.builder().build();

  private static @Nullable Contract contract;

  private static Dynalite startDynalite() {
    try {
      return Dynalite.startPersistent(Files.createTempDirectory("dynalite-contract"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("contract", DYNALITE)
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.dynamodb.api-call-timeout", () -> "1s");
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AUDIENCE);
    registry.add(
        "inboxpush.registration.listener-base-url", () -> "https://listener.eu.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
    registry.add("inboxpush.registration.rate-limit.per-caller", () -> String.valueOf(PER_CALLER));
    registry.add("inboxpush.registration.rate-limit.per-address", () -> "100000");
    // No refill worth the name during the run: the flooder stays over its limit.
    registry.add("inboxpush.registration.rate-limit.period", () -> "1h");
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
    DYNALITE.close();
  }

  @LocalServerPort int port;
  @Autowired DynamoStore store;

  /** The validator and the operations, from the document the running service serves. */
  record Contract(OpenApiInteractionValidator validator, OpenAPI document) {

    /** The method and path template of {@code operationId}. */
    Map.Entry<PathItem.HttpMethod, String> operation(String operationId) {
      for (var path : document.getPaths().entrySet()) {
        for (var operation : path.getValue().readOperationsMap().entrySet()) {
          if (operationId.equals(operation.getValue().getOperationId())) {
            return Map.entry(operation.getKey(), path.getKey());
          }
        }
      }
      throw new AssertionError("the document has no operation " + operationId);
    }

    /** Every {@code operationId status} the document lists. */
    Set<String> documentedAnswers() {
      Set<String> answers = new TreeSet<>();
      for (PathItem path : document.getPaths().values()) {
        for (Operation operation : path.readOperationsMap().values()) {
          for (String status : operation.getResponses().keySet()) {
            answers.add(operation.getOperationId() + " " + status);
          }
        }
      }
      return answers;
    }
  }

  @BeforeEach
  void loadTheServedDocument() throws IOException, InterruptedException {
    if (contract != null) {
      return;
    }
    HttpResponse<String> served =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/openapi.yaml"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    OpenAPI document = new OpenAPIV3Parser().readContents(served.body(), null, null).getOpenAPI();
    assertThat(document).as("the served document parses").isNotNull();
    contract =
        new Contract(
            OpenApiInteractionValidator.createForInlineApiSpecification(served.body()).build(),
            document);
  }

  // ---- the operations --------------------------------------------------------------------------

  @Test
  void registerDevice() {
    String bearer = caller();
    String token = apnsToken();

    Answer created =
        call("registerDevice").as(bearer).json(apns(token, subscription("sub-1"))).send();
    created.status(201).conforms();
    assertThat(created.header("Location"))
        .isEqualTo("/v1/registrations/" + created.json().get("registrationId").asString());
    assertThat(created.json().get("subscription").get("subscriptionId").asString())
        .isEqualTo("sub-1");

    call("registerDevice").as(bearer).json(apns(token, null)).send().status(200).conforms();

    // FCM, unbound: the nulls the document allows.
    Answer fcm = call("registerDevice").as(bearer).json(fcm(fcmToken())).send();
    fcm.status(201).conforms();
    assertThat(fcm.json().get("apnsEnvironment").isNull()).isTrue();
    assertThat(fcm.json().get("subscription").isNull()).isTrue();
  }

  @Test
  void registerDeviceOfKindGraph() {
    String bearer = caller();
    String token = apnsToken();

    Answer created = call("registerDevice").as(bearer).json(graph(apns(token, null))).send();
    created.status(201).conforms();
    assertThat(created.json().get("kind").asString()).isEqualTo("graph");
    assertThat(created.json().get("callbackUrl").isNull()).isTrue();
    assertThat(created.json().get("notificationUrl").asString())
        .startsWith("https://listener.eu.example.com/graph/v1/");
    assertThat(created.json().get("clientState").asString()).hasSize(43);
    assertThat(created.json().get("graphSubscription").isNull()).isTrue();

    Answer refreshed = call("registerDevice").as(bearer).json(graph(apns(token, null))).send();
    refreshed.status(200).conforms();
    // Answered again to the caller registering the device: the same secret.
    assertThat(refreshed.json().get("clientState").asString())
        .isEqualTo(created.json().get("clientState").asString());

    // The same device and app with the other kind: a conflict, nothing changed.
    Answer conflict = call("registerDevice").as(bearer).json(apns(token, null)).send();
    conflict.status(409).conforms();
    assertThat(conflict.json().get("type").asString())
        .isEqualTo(ProblemType.CONFLICT.uri().toString());
    assertThat(conflict.json().get("registrationId").asString())
        .isEqualTo(created.json().get("registrationId").asString());
    assertThat(conflict.json().get("kind").asString()).isEqualTo("graph");
  }

  @Test
  void registerDeviceRefusals() {
    String bearer = caller();

    Answer invalid =
        call("registerDevice")
            .as(bearer)
            .json(
                """
                {"platform": "apns", "appId": "bad app", "deviceToken": "zz"}""")
            .send();
    invalid.status(400).answerConforms().refusedByTheDocumentToo();
    assertThat(invalid.json().get("type").asString())
        .isEqualTo(ProblemType.INVALID_FIELDS.uri().toString());
    assertThat(invalid.json().get("errors").findValuesAsString("field"))
        .contains("appId", "deviceToken", "apnsEnvironment");

    Answer unreadable = call("registerDevice").as(bearer).json("{\"platform\": \"apns\", ").send();
    unreadable.status(400).answerConforms().refusedByTheDocumentToo();
    assertThat(unreadable.json().has("errors")).isFalse();

    call("registerDevice")
        .as(bearer)
        .json(fcm("x".repeat(20_000)))
        .send()
        .status(413)
        .answerConforms()
        .refusedByTheDocumentToo();
    call("registerDevice")
        .as(bearer)
        .body("text/plain", "platform=apns")
        .send()
        .status(415)
        .answerConforms()
        .refusedByTheDocumentToo();
    // A forged token looks like any other to the document: the request conforms, the answer is 401.
    call("registerDevice")
        .as(ISSUER.forged("mallory", AUDIENCE))
        .json(fcm(fcmToken()))
        .send()
        .status(401)
        .conforms();
  }

  @Test
  void bindSubscription() {
    String bearer = caller();
    String id = registered(bearer);

    Answer bound = call("bindSubscription", id).as(bearer).json(subscription("sub-bound")).send();
    bound.status(200).conforms();
    assertThat(bound.json().get("subscription").get("statusFrequency").asInt()).isEqualTo(15);

    Answer invalid = call("bindSubscription", id).as(bearer).json("{}").send();
    invalid.status(400).answerConforms().refusedByTheDocumentToo();
    assertThat(invalid.json().get("errors").findValuesAsString("field"))
        .contains("subscriptionId", "inboxFolderId", "statusFrequency");

    call("bindSubscription", UUID.randomUUID().toString())
        .as(bearer)
        .json(subscription("sub-nowhere"))
        .send()
        .status(404)
        .conforms();
    call("bindSubscription", id)
        .as(bearer)
        .json(
            """
            {"subscriptionId": "%s", "inboxFolderId": "f", "statusFrequency": 30}"""
                .formatted("s".repeat(20_000)))
        .send()
        .status(413)
        .answerConforms()
        .refusedByTheDocumentToo();
    call("bindSubscription", id)
        .as(bearer)
        .body("application/xml", "<subscription/>")
        .send()
        .status(415)
        .answerConforms()
        .refusedByTheDocumentToo();

    Answer wrongKind =
        call("bindSubscription", registeredGraph(bearer))
            .as(bearer)
            .json(subscription("sub-for-graph"))
            .send();
    wrongKind.status(409).conforms();
    assertThat(wrongKind.json().get("type").asString())
        .isEqualTo(ProblemType.CONFLICT.uri().toString());
  }

  @Test
  void bindGraphSubscription() {
    String bearer = caller();
    String id = registeredGraph(bearer);
    String subscriptionId = UUID.randomUUID().toString();
    Instant expires = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

    Answer bound =
        call("bindGraphSubscription", id)
            .as(bearer)
            .json(graphSubscription(subscriptionId, asGraphWritesIt(expires)))
            .send();
    bound.status(200).conforms();
    assertThat(bound.json().get("graphSubscription").get("subscriptionId").asString())
        .isEqualTo(subscriptionId);
    assertThat(bound.json().get("graphSubscription").get("expirationDateTime").asString())
        .isEqualTo(expires.toString());
    assertThat(bound.json().get("clientState").isNull()).isTrue();

    // Not a GUID: the document says so too.
    Answer invalid =
        call("bindGraphSubscription", id)
            .as(bearer)
            .json(graphSubscription("not-a-guid", "yesterday"))
            .send();
    invalid.status(400).answerConforms().refusedByTheDocumentToo();
    assertThat(invalid.json().get("errors").findValuesAsString("field"))
        .containsExactly("subscriptionId", "expirationDateTime");
    // In the past: valid for the document, not for the API.
    Answer past =
        call("bindGraphSubscription", id)
            .as(bearer)
            .json(
                graphSubscription(
                    UUID.randomUUID().toString(),
                    asGraphWritesIt(Instant.now().minus(Duration.ofHours(1)))))
            .send();
    past.status(400).conforms();
    assertThat(past.json().get("errors").findValuesAsString("field"))
        .containsExactly("expirationDateTime");

    call("bindGraphSubscription", UUID.randomUUID().toString())
        .as(bearer)
        .json(graphSubscription(subscriptionId, asGraphWritesIt(expires)))
        .send()
        .status(404)
        .conforms();
    Answer wrongKind =
        call("bindGraphSubscription", registered(bearer))
            .as(bearer)
            .json(graphSubscription(subscriptionId, asGraphWritesIt(expires)))
            .send();
    wrongKind.status(409).conforms();
    assertThat(wrongKind.json().get("type").asString())
        .isEqualTo(ProblemType.CONFLICT.uri().toString());
    call("bindGraphSubscription", id)
        .as(bearer)
        .json(graphSubscription(subscriptionId, "x".repeat(20_000)))
        .send()
        .status(413)
        .answerConforms()
        .refusedByTheDocumentToo();
    call("bindGraphSubscription", id)
        .as(bearer)
        .body("text/plain", subscriptionId)
        .send()
        .status(415)
        .answerConforms()
        .refusedByTheDocumentToo();
  }

  @Test
  void rotateDeviceToken() {
    String bearer = caller();
    String id = registered(bearer);
    String taken = apnsToken();
    call("registerDevice").as(bearer).json(apns(taken, null)).send().status(201).conforms();

    call("rotateDeviceToken", id)
        .as(bearer)
        .json(deviceToken(apnsToken()))
        .send()
        .status(200)
        .conforms();

    Answer conflict = call("rotateDeviceToken", id).as(bearer).json(deviceToken(taken)).send();
    conflict.status(409).conforms();
    assertThat(conflict.json().get("type").asString())
        .isEqualTo(ProblemType.CONFLICT.uri().toString());

    // Valid for the document (long enough), not for the API (not hex): the API's own rules.
    Answer invalid =
        call("rotateDeviceToken", id).as(bearer).json(deviceToken("not hex, not hex")).send();
    invalid.status(400).conforms();
    assertThat(invalid.json().get("errors").findValuesAsString("field"))
        .containsExactly("deviceToken");

    call("rotateDeviceToken", UUID.randomUUID().toString())
        .as(bearer)
        .json(deviceToken(apnsToken()))
        .send()
        .status(404)
        .conforms();
    call("rotateDeviceToken", id)
        .as(bearer)
        .json(deviceToken("a".repeat(20_000)))
        .send()
        .status(413)
        .answerConforms()
        .refusedByTheDocumentToo();
    call("rotateDeviceToken", id)
        .as(bearer)
        .body("text/plain", apnsToken())
        .send()
        .status(415)
        .answerConforms()
        .refusedByTheDocumentToo();
  }

  @Test
  void getRegistration() {
    String bearer = caller();
    Answer fcm = call("registerDevice").as(bearer).json(fcm(fcmToken())).send().status(201);
    String unbound = fcm.json().get("registrationId").asString();

    Answer status = call("getRegistration", unbound).as(bearer).send();
    status.status(200).conforms();
    assertThat(status.json().get("status").asString()).isEqualTo("unbound");
    assertThat(status.json().get("lastSeen").isNull()).isTrue();

    // Bound, and heard from: every field the status has, none of them null.
    String bound = registered(bearer);
    call("bindSubscription", bound).as(bearer).json(subscription("sub-heard")).send().status(200);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    store
        .listenerState()
        .update(
            RegistrationId.of(bound),
            new ListenerStateUpdate().pushOutcome("accepted", now).lastSeen(now))
        .block(Duration.ofSeconds(10));
    Answer active = call("getRegistration", bound).as(bearer).send();
    active.status(200).conforms();
    assertThat(active.json().get("status").asString()).isEqualTo("active");
    assertThat(active.json().get("lastPushAt").asString()).isEqualTo(now.toString());

    // A Graph registration, bound, with a lifecycle event since: the graph object filled in.
    String graph = registeredGraph(bearer);
    String subscriptionId = UUID.randomUUID().toString();
    call("bindGraphSubscription", graph)
        .as(bearer)
        .json(
            graphSubscription(
                subscriptionId, asGraphWritesIt(Instant.now().plus(Duration.ofDays(1)))))
        .send()
        .status(200);
    Instant removedAt = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    store
        .listenerState()
        .update(
            RegistrationId.of(graph),
            new ListenerStateUpdate()
                .graphLifecycle(
                    new GraphLifecycle(
                        GraphLifecycleEvent.SUBSCRIPTION_REMOVED,
                        SubscriptionId.of(subscriptionId),
                        removedAt)))
        .block(Duration.ofSeconds(10));
    Answer removed = call("getRegistration", graph).as(bearer).send();
    removed.status(200).conforms();
    assertThat(removed.json().get("status").asString()).isEqualTo("subscription-removed");
    assertThat(removed.json().get("graph").get("lifecycleEvent").asString())
        .isEqualTo("subscription-removed");
    assertThat(removed.json().get("graph").get("lifecycleEventAt").asString())
        .isEqualTo(removedAt.toString());

    call("getRegistration", UUID.randomUUID().toString()).as(bearer).send().status(404).conforms();
    // Not a UUID: the document says so, and the API answers it like any unknown id.
    call("getRegistration", "not-a-registration")
        .as(bearer)
        .send()
        .status(404)
        .answerConforms()
        .refusedByTheDocumentToo();
    // Another caller's registration is not found either.
    call("getRegistration", bound).as(caller()).send().status(404).conforms();
  }

  @Test
  void refreshRegistration() {
    String bearer = caller();
    String id = registered(bearer);

    call("refreshRegistration", id).as(bearer).send().status(200).conforms();
    call("refreshRegistration", UUID.randomUUID().toString())
        .as(bearer)
        .send()
        .status(404)
        .conforms();
  }

  @Test
  void deleteRegistration() {
    String bearer = caller();
    String id = registered(bearer);

    Answer deleted = call("deleteRegistration", id).as(bearer).send();
    deleted.status(204).conforms();
    assertThat(deleted.body()).isEmpty();
    call("deleteRegistration", id).as(bearer).send().status(404).conforms();
  }

  @Test
  void deleteAllRegistrations() {
    String bearer = caller();
    registered(bearer);
    registered(bearer);

    Answer wiped = call("deleteAllRegistrations").as(bearer).send();
    wiped.status(200).conforms();
    assertThat(wiped.json().get("deleted").asInt()).isEqualTo(2);
  }

  // ---- what every operation shares -------------------------------------------------------------

  @Test
  void withoutATokenEveryOperationIs401WithWwwAuthenticate() {
    for (Call call : everyOperation(null, UUID.randomUUID().toString())) {
      // The answer only: the validator reads security requirements of operations, not the
      // document-wide one that this document uses, so it cannot see that a token is missing.
      Answer answer = call.send().status(401).answerConforms();
      assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
    }
  }

  @Test
  void overItsRateLimitEveryOperationIs429WithRetryAfter() {
    String flooder = caller();
    String id = UUID.randomUUID().toString();
    for (int i = 0; i < PER_CALLER; i++) {
      call("getRegistration", id).as(flooder).send().status(404);
    }

    for (Call call : everyOperation(flooder, id)) {
      Answer answer = call.send().status(429).conforms();
      assertThat(Long.parseLong(answer.header("Retry-After"))).isPositive();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE - 1)
  void whileTheTableIsUnreachableEveryOperationIs503WithRetryAfter() {
    String bearer = caller();
    String id = registered(bearer);
    DYNALITE.stop();
    try {
      for (Call call : everyOperation(bearer, id)) {
        Answer answer = call.send().status(503).conforms();
        assertThat(answer.header("Retry-After")).isEqualTo("5");
      }
    } finally {
      DYNALITE.restart();
    }
  }

  @Test
  void theDocumentNamesEveryProblemTypeAndNoOther() {
    List<?> documented =
        contract().document().getComponents().getSchemas().get("ProblemType").getEnum();

    assertThat(documented.stream().map(String::valueOf))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ProblemType.values()).map(type -> type.uri().toString()).toList());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everyAnswerTheDocumentListsWasSeenAndConformed() {
    Set<String> missing = new TreeSet<>(contract().documentedAnswers());
    missing.removeAll(CONFORMED);

    assertThat(missing).as("answers the document lists that no test saw conform").isEmpty();
  }

  // ---- requests --------------------------------------------------------------------------------

  /** One call of each operation, with a valid body where it takes one. */
  private List<Call> everyOperation(@Nullable String bearer, String id) {
    return List.of(
        call("registerDevice").as(bearer).json(fcm(fcmToken())),
        call("deleteAllRegistrations").as(bearer),
        call("getRegistration", id).as(bearer),
        call("deleteRegistration", id).as(bearer),
        call("bindSubscription", id).as(bearer).json(subscription("sub-any")),
        call("bindGraphSubscription", id)
            .as(bearer)
            .json(
                graphSubscription(
                    UUID.randomUUID().toString(),
                    asGraphWritesIt(Instant.now().plus(Duration.ofDays(1))))),
        call("rotateDeviceToken", id).as(bearer).json(deviceToken(apnsToken())),
        call("refreshRegistration", id).as(bearer));
  }

  private static String caller() {
    return ISSUER.token("user-" + UUID.randomUUID(), AUDIENCE);
  }

  /** A new APNs registration of {@code bearer}; its id. */
  private String registered(String bearer) {
    return call("registerDevice")
        .as(bearer)
        .json(apns(apnsToken(), null))
        .send()
        .status(201)
        .json()
        .get("registrationId")
        .asString();
  }

  /** A new FCM registration of kind graph of {@code bearer}; its id. */
  private String registeredGraph(String bearer) {
    return call("registerDevice")
        .as(bearer)
        .json(graph(fcm(fcmToken())))
        .send()
        .status(201)
        .json()
        .get("registrationId")
        .asString();
  }

  /** The registration body {@code json} with kind graph. */
  private static String graph(String json) {
    return json.substring(0, json.lastIndexOf('}')) + ", \"kind\": \"graph\"}";
  }

  private static String graphSubscription(String subscriptionId, String expirationDateTime) {
    return """
        {"subscriptionId": "%s", "expirationDateTime": "%s"}"""
        .formatted(subscriptionId, expirationDateTime);
  }

  /** As Graph writes {@code expirationDateTime}: seven fractional digits and a Z. */
  private static String asGraphWritesIt(Instant instant) {
    return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
        .withZone(ZoneOffset.UTC)
        .format(instant);
  }

  private static String apnsToken() {
    return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
  }

  private static String fcmToken() {
    return "fcm-" + UUID.randomUUID();
  }

  private static String apns(String token, @Nullable String subscription) {
    return """
        {"platform": "apns", "appId": "com.example.mail", "apnsEnvironment": "production",
         "deviceToken": "%s"%s}"""
        .formatted(token, subscription == null ? "" : ", \"subscription\": " + subscription);
  }

  private static String fcm(String token) {
    return """
        {"platform": "fcm", "appId": "example-mail", "deviceToken": "%s"}"""
        .formatted(token);
  }

  private static String subscription(String subscriptionId) {
    return """
        {"subscriptionId": "%s", "inboxFolderId": "AQMkInbox=", "statusFrequency": 15}"""
        .formatted(subscriptionId);
  }

  private static String deviceToken(String token) {
    return """
        {"deviceToken": "%s"}"""
        .formatted(token);
  }

  private static Contract contract() {
    Contract loaded = contract;
    if (loaded == null) {
      throw new IllegalStateException("the document is loaded before each test");
    }
    return loaded;
  }

  /**
   * The operation {@code operationId} of the document, its path template filled with {@code ids}.
   */
  private Call call(String operationId, String... ids) {
    Map.Entry<PathItem.HttpMethod, String> operation = contract().operation(operationId);
    String path = operation.getValue();
    for (String id : ids) {
      path = path.replaceFirst("\\{[^}]+}", id);
    }
    return new Call(operationId, Request.Method.valueOf(operation.getKey().name()), path);
  }

  /** A request to send for real, then to validate with its answer. */
  final class Call {

    private final String operationId;
    private final Request.Method method;
    private final String path;
    private @Nullable String bearer;
    private @Nullable String contentType;
    private @Nullable String body;

    Call(String operationId, Request.Method method, String path) {
      this.operationId = operationId;
      this.method = method;
      this.path = path;
    }

    Call as(@Nullable String token) {
      this.bearer = token;
      return this;
    }

    Call json(String json) {
      return body("application/json", json);
    }

    Call body(String type, String content) {
      this.contentType = type;
      this.body = content;
      return this;
    }

    Answer send() {
      HttpRequest.Builder http =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(15))
              .method(
                  method.name(),
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
      if (bearer != null) {
        http.header("Authorization", "Bearer " + bearer);
        request.withAuthorization("Bearer " + bearer);
      }
      if (contentType != null) {
        http.header("Content-Type", contentType);
        request.withContentType(contentType);
      }
      if (body != null) {
        request.withBody(body);
      }
      HttpResponse<String> answer;
      try {
        answer = CLIENT.send(http.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(operationId + " (" + method + " " + path + "): " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.statusCode());
      answer.headers().map().forEach(response::withHeader);
      if (!answer.body().isEmpty()) {
        response.withBody(answer.body());
      }
      ValidationReport report = contract().validator().validate(request.build(), response.build());
      return new Answer(
          operationId + " " + method + " " + path,
          operationId + " " + answer.statusCode(),
          answer.statusCode(),
          new TreeMap<>(answer.headers().map()),
          answer.body(),
          report);
    }
  }

  /** An answer and what the validator made of the exchange. */
  record Answer(
      String call,
      String seen,
      int statusCode,
      Map<String, List<String>> headers,
      String body,
      ValidationReport report) {

    Answer status(int expected) {
      assertThat(statusCode).as("status of %s; body %s", call, body).isEqualTo(expected);
      return this;
    }

    /** Request and answer both as the document says. */
    Answer conforms() {
      assertThat(messages("validation."))
          .as("%s: the validator's findings (answer %s %s)", call, statusCode, body)
          .isEmpty();
      CONFORMED.add(seen);
      return this;
    }

    /** The answer as the document says; the request is checked separately. */
    Answer answerConforms() {
      assertThat(messages("validation.response."))
          .as("%s: the validator's findings on the answer (%s %s)", call, statusCode, body)
          .isEmpty();
      CONFORMED.add(seen);
      return this;
    }

    /** The document forbids the request as well: it says what the API refuses. */
    Answer refusedByTheDocumentToo() {
      assertThat(messages("validation.request."))
          .as("%s: the document should refuse this request too", call)
          .isNotEmpty();
      return this;
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(header -> header.getKey().equalsIgnoreCase(name))
          .flatMap(header -> header.getValue().stream())
          .findFirst()
          .orElseThrow(() -> new AssertionError(call + ": no " + name + " header"));
    }

    JsonNode json() {
      return JSON.readTree(body);
    }

    private List<String> messages(String prefix) {
      return report.getMessages().stream()
          .filter(message -> message.getKey().startsWith(prefix))
          .map(
              message ->
                  message.getLevel()
                      + " "
                      + message.getKey()
                      + ": "
                      + message.getMessage()
                      + (message.getAdditionalInfo().isEmpty()
                          ? ""
                          : " " + message.getAdditionalInfo()))
          .collect(Collectors.toList());
    }
  }
}
