package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.registration.RegistrationApplication;
import dev.inboxpush.store.dynamo.TableLayout;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.Replicator;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two regions' registration APIs over one Global Table, replication lag included: each region's
 * service on its own dynalite, test-support's {@link Replicator} copying every write between them
 * after {@link #LAG}, last writer wins per item, as DynamoDB replicates (held back with {@link
 * Replicator#pause()} where a case needs a region not to have seen the other's writes yet). A
 * device that registers in one region and, within the lag, in the other (a failover moved its app's
 * traffic) gets the same registration from both, and once replicated each region holds that one
 * registration: never a second one that would split the device's accounts.
 */
class CrossRegionRegistrationIT {

  static final Duration LAG = Duration.ofSeconds(3);
  static final Duration QUIET = Duration.ofSeconds(30);
  static final String TABLE = "cross-region-" + UUID.randomUUID();
  static final SecureRandom RANDOM = new SecureRandom();
  static final JsonMapper JSON = JsonMapper.builder().build();

  static final JwtIssuer ISSUER = JwtIssuer.start();
  static final Dynalite US = Dynalite.start();
  static final Dynalite EU = Dynalite.start();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static ConfigurableApplicationContext usApi;
  static ConfigurableApplicationContext euApi;
  static Replicator replicator;

  @BeforeAll
  static void start() {
    usApi = start("us-east-1", US);
    euApi = start("eu-west-1", EU);
    replicator =
        Replicator.start(
            TABLE,
            TableLayout.PK,
            TableLayout.SK,
            List.of(US.sharedClient(), EU.sharedClient()),
            LAG,
            Duration.ofMillis(100));
  }

  @AfterAll
  static void stop() {
    if (replicator != null) {
      replicator.close();
    }
    for (ConfigurableApplicationContext api : new ConfigurableApplicationContext[] {usApi, euApi}) {
      if (api != null) {
        api.close();
      }
    }
    US.close();
    EU.close();
    ISSUER.close();
  }

  private static ConfigurableApplicationContext start(String region, Dynalite dynalite) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--server.port=0");
    arguments.add("--management.server.port=0");
    arguments.add("--inboxpush.region=" + region);
    arguments.add("--inboxpush.dynamodb.endpoint=" + dynalite.endpoint());
    arguments.add("--inboxpush.dynamodb.table-name=" + TABLE);
    arguments.add("--inboxpush.dynamodb.create-table=true");
    arguments.add("--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + ISSUER.jwkSetUri());
    arguments.add("--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER.issuer());
    arguments.add(
        "--inboxpush.registration.listener-base-url=https://listener." + region + ".example.com");
    // The one key every region shares (Secrets Manager replicates it in production).
    arguments.add("--inboxpush.registration.owner-hash-key=" + "shared-by-every-region-".repeat(2));
    return new SpringApplicationBuilder(RegistrationApplication.class)
        .run(arguments.toArray(String[]::new));
  }

  private static int port(ConfigurableApplicationContext api) {
    return Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
  }

  record Answer(int status, JsonNode body) {}

  private static Answer call(
      ConfigurableApplicationContext api, String method, String path, String bearer, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(api) + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
  }

  private static Answer register(ConfigurableApplicationContext api, String bearer, String body)
      throws Exception {
    return call(api, "POST", "/v1/registrations", bearer, body);
  }

  private static String apns(String deviceToken) {
    return "{\"platform\":\"apns\",\"appId\":\"com.example.mail\",\"apnsEnvironment\":\"production\","
        + "\"deviceToken\":\""
        + deviceToken
        + "\"}";
  }

  private static String graph(String deviceToken) {
    return "{\"kind\":\"graph\",\"platform\":\"apns\",\"appId\":\"com.example.mail\","
        + "\"apnsEnvironment\":\"production\",\"deviceToken\":\""
        + deviceToken
        + "\"}";
  }

  private static String deviceToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String bearer() {
    return ISSUER.token("user-" + UUID.randomUUID(), "inboxpush");
  }

  /** The ids of the registrations of {@code deviceToken} in a region's replica, read directly. */
  private static List<String> stored(Dynalite region, String deviceToken) {
    List<String> ids = new ArrayList<>();
    region
        .sharedClient()
        .scanPaginator(ScanRequest.builder().tableName(TABLE).consistentRead(true).build())
        .items()
        .subscribe(
            item -> {
              if (TableLayout.SK_REGISTRATION.equals(item.get(TableLayout.SK).s())
                  && deviceToken.equals(item.get(TableLayout.ATTR_DEVICE_TOKEN).s())) {
                ids.add(item.get(TableLayout.PK).s().substring("REG#".length()));
              }
            })
        .join();
    return ids;
  }

  /** The callback URL's token, whichever region's listener host the URL names. */
  private static String tokenOf(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  @Test
  void aDeviceRegisteringInTwoRegionsWithinTheLagGetsOneRegistration() throws Exception {
    String bearer = bearer();
    String device = deviceToken();

    // Held back while both regions register, however slow the machine: neither sees the other.
    replicator.pause();
    Answer inUs = register(usApi, bearer, apns(device));
    Answer inEu = register(euApi, bearer, apns(device));
    replicator.resume();

    assertThat(inUs.status()).isEqualTo(201);
    assertThat(inEu.status()).as("the US registration has not reached eu-west-1").isEqualTo(201);
    String id = inUs.body().get("registrationId").asString();
    assertThat(inEu.body().get("registrationId").asString()).isEqualTo(id);
    assertThat(tokenOf(inEu.body().get("callbackUrl").asString()))
        .isEqualTo(tokenOf(inUs.body().get("callbackUrl").asString()));

    replicator.awaitQuiet(QUIET);
    assertThat(stored(US, device)).containsExactly(id);
    assertThat(stored(EU, device)).containsExactly(id);
    // Registering again anywhere refreshes that one.
    Answer again = register(euApi, bearer, apns(device));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("registrationId").asString()).isEqualTo(id);
  }

  @Test
  void aGraphRegistrationMadeInTwoRegionsHasOneClientState() throws Exception {
    String bearer = bearer();
    String device = deviceToken();

    replicator.pause();
    Answer inUs = register(usApi, bearer, graph(device));
    Answer inEu = register(euApi, bearer, graph(device));
    replicator.resume();

    assertThat(inUs.status()).isEqualTo(201);
    assertThat(inEu.status()).isEqualTo(201);
    assertThat(inEu.body().get("registrationId").asString())
        .isEqualTo(inUs.body().get("registrationId").asString());
    assertThat(inEu.body().get("clientState").asString())
        .isEqualTo(inUs.body().get("clientState").asString());
    assertThat(tokenOf(inEu.body().get("notificationUrl").asString()))
        .isEqualTo(tokenOf(inUs.body().get("notificationUrl").asString()));
    replicator.awaitQuiet(QUIET);
    assertThat(stored(US, device)).hasSize(1);
    assertThat(stored(EU, device)).hasSize(1);
  }

  @Test
  void anotherCallerOrDeviceIsAnotherRegistration() throws Exception {
    String device = deviceToken();

    Answer one = register(usApi, bearer(), apns(device));
    Answer other = register(euApi, bearer(), apns(device));
    Answer otherDevice = register(euApi, bearer(), apns(deviceToken()));

    assertThat(List.of(one.status(), other.status(), otherDevice.status())).containsOnly(201);
    assertThat(
            List.of(
                one.body().get("registrationId").asString(),
                other.body().get("registrationId").asString(),
                otherDevice.body().get("registrationId").asString()))
        .doesNotHaveDuplicates();
  }

  @Test
  void aCallNamingARegistrationNotYetReplicatedIs404AndRegisteringAgainThereGivesItBack()
      throws Exception {
    String bearer = bearer();
    String device = deviceToken();
    replicator.pause();
    Answer inUs = register(usApi, bearer, apns(device));
    String id = inUs.body().get("registrationId").asString();

    Answer bindInEu =
        call(
            euApi,
            "PUT",
            "/v1/registrations/" + id + "/subscription",
            bearer,
            "{\"subscriptionId\":\"sub-eu\",\"inboxFolderId\":\"AQMkInbox\",\"statusFrequency\":15}");
    assertThat(bindInEu.status()).isEqualTo(404);
    replicator.resume();

    // What the 404 tells the app to do: register again. It gets the same registration back.
    Answer again = register(euApi, bearer, apns(device));
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body().get("registrationId").asString()).isEqualTo(id);
    Answer bound =
        call(
            euApi,
            "PUT",
            "/v1/registrations/" + id + "/subscription",
            bearer,
            "{\"subscriptionId\":\"sub-eu\",\"inboxFolderId\":\"AQMkInbox\",\"statusFrequency\":15}");
    assertThat(bound.status()).isEqualTo(200);

    // The bind is the newest write of the registration item: it wins in both regions.
    replicator.awaitQuiet(QUIET);
    Answer inUsNow = call(usApi, "GET", "/v1/registrations/" + id, bearer, null);
    assertThat(inUsNow.status()).isEqualTo(200);
    assertThat(inUsNow.body().toString()).contains("sub-eu");
    assertThat(stored(US, device)).containsExactly(id);
    assertThat(stored(EU, device)).containsExactly(id);
  }
}
