package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Generated requests to the registration API from an authenticated caller: JSON bodies mutated from
 * valid registrations and bindings (bombs of nesting, numbers of a thousand digits or {@code
 * 1e999999}, duplicate keys, UTF-16, invalid UTF-8, a BOM, NULs, truncation, wrong types, bodies
 * over the limit), odd content types and huge headers, and paths with dot segments, encoded NULs
 * and slashes, huge and non-ASCII ids, on every method.
 *
 * <p>Invariants for each request: an answer (a body over the 16 KB limit may instead meet the
 * connection's end, which the server closes after its early 413); no 5xx but a documented 503;
 * every refusal a problem detail (but a 431 for a header over 8 KB, which Reactor Netty's codec
 * answers before any application code); answered within {@link #ANSWER_WITHIN}; no ERROR log line.
 * And the table, compared item by item before and after: nothing changed but the registrations the
 * run's own 201s created (their registration items and device claims) and the caller's own
 * registration where a mutated binding stayed valid and was answered 200 (with its subscription
 * pointer).
 *
 * <p>Scale: {@code -Dfuzz.requests=N} (default 2,000); {@code -Dfuzz.seed=S} repeats a run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class HostileRequestsIT {

  static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  static final int REQUESTS = Integer.getInteger("fuzz.requests", 2_000);
  static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  static final JwtIssuer ISSUER = JwtIssuer.start();

  /** {@code spring.webflux.codecs.max-in-memory-size} of the service: larger bodies get 413. */
  static final int MAX_BODY = 16 * 1024;

  static final Map<String, String> STORE = ApiTestSettings.table("hostile-requests");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestSettings.register(registry, STORE, ISSUER);
    registry.add("inboxpush.registration.rate-limit.per-caller", () -> "100000000");
    registry.add("inboxpush.registration.rate-limit.per-address", () -> "100000000");
  }

  @AfterAll
  static void stop() {
    ISSUER.close();
  }

  @Autowired WebTestClient http;
  @Autowired MeterRegistry meters;
  @LocalServerPort int port;

  private Map<String, Map<String, AttributeValue>> table() {
    Map<String, Map<String, AttributeValue>> items = new HashMap<>();
    Dynalite.shared()
        .sharedClient()
        .scanPaginator(
            ScanRequest.builder()
                .tableName(STORE.get("inboxpush.dynamodb.table-name"))
                .consistentRead(true)
                .build())
        .items()
        .subscribe(item -> items.put(item.get("pk").s() + " " + item.get("sk").s(), item))
        .join();
    return items;
  }

  private double errorLogs() {
    Counter errors = meters.find("logback.events").tag("level", "error").counter();
    return errors == null ? 0 : errors.count();
  }

  private record Generated(HttpMethod method, String path, String contentType, byte[] body) {}

  @Test
  void noGeneratedRequestGetsA5xxOrChangesTheTableButByItsOwnCreation() {
    String bearer = ISSUER.token("hostile-caller", "inboxpush");
    Random random = new Random(SEED);
    // A registration of the caller's own, for the paths that name one.
    EntityExchangeResult<byte[]> own =
        http.post()
            .uri("/v1/registrations")
            .headers(h -> h.setBearerAuth(bearer))
            .header("Content-Type", "application/json")
            .bodyValue(registration(random))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .returnResult();
    String ownId =
        new String(own.getResponseBody(), StandardCharsets.UTF_8)
            .replaceAll("(?s).*\"registrationId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    Map<String, Map<String, AttributeValue>> before = table();
    double errorsBefore = errorLogs();
    Set<String> created = new HashSet<>();
    int rebound = 0;
    int oversizedUnanswered = 0;
    Map<String, Integer> answers = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    long slowest = 0;
    WebTestClient client = http.mutate().responseTimeout(ANSWER_WITHIN.multipliedBy(2)).build();

    System.out.printf("hostile API requests: seed %d%n", SEED);
    for (int i = 0; i < REQUESTS && violations.size() < 5; i++) {
      Generated request = generate(random, ownId);
      long start = System.nanoTime();
      WebTestClient.RequestBodySpec spec =
          client
              .method(request.method())
              .uri(URI.create("http://127.0.0.1:" + port + request.path()))
              .headers(h -> h.setBearerAuth(bearer));
      if (random.nextInt(30) == 0) {
        spec = spec.header("X-Padding", "p".repeat(6000 + random.nextInt(4000)));
      }
      if (request.contentType() != null) {
        spec = spec.header("Content-Type", request.contentType());
      }
      EntityExchangeResult<byte[]> result;
      try {
        result =
            (request.body() == null ? spec : spec.bodyValue(request.body()))
                .exchange()
                .expectBody()
                .returnResult();
      } catch (RuntimeException e) {
        if (request.body() != null && request.body().length > MAX_BODY) {
          // Over the body limit, the API answers 413 before reading the rest and ends the
          // connection; a client still sending it may see the connection close, or (its socket
          // buffers full) wait, instead of the answer. Nothing was read, nothing written.
          oversizedUnanswered++;
          continue;
        }
        violations.add(
            "request "
                + i
                + " "
                + request.method()
                + " "
                + abbreviated(request.path())
                + " as "
                + request.contentType()
                + ", "
                + (request.body() == null ? 0 : request.body().length)
                + " bytes: "
                + (request.body() == null
                    ? ""
                    : abbreviated(new String(request.body(), StandardCharsets.ISO_8859_1)))
                + " (seed "
                + SEED
                + "): no answer: "
                + e.getMessage());
        continue;
      }
      long took = System.nanoTime() - start;
      slowest = Math.max(slowest, took);
      int status = result.getStatus().value();
      answers.merge(request.method() + " " + status, 1, Integer::sum);
      String body =
          result.getResponseBody() == null
              ? ""
              : new String(result.getResponseBody(), StandardCharsets.UTF_8);
      String what =
          "request "
              + i
              + " "
              + request.method()
              + " "
              + abbreviated(request.path())
              + " (seed "
              + SEED
              + ")";
      if (status == 200 && request.method() == HttpMethod.PUT) {
        // A mutation that stayed valid: the caller's own registration legitimately rebound.
        created.add(ownId);
        rebound++;
      }
      if (status == 201) {
        created.add(body.replaceAll("(?s).*\"registrationId\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
      }
      if (status >= 500) {
        violations.add(what + ": answered " + status + ": " + body);
      }
      String type = result.getResponseHeaders().getFirst("Content-Type");
      // 431 (a header over 8 KB) is Reactor Netty's codec's, answered before any application code.
      if (status >= 400
          && status != 404
          && status != 431
          && (type == null || !type.startsWith("application/problem+json"))) {
        violations.add(what + ": " + status + " is not a problem detail: " + type);
      }
      if (took > ANSWER_WITHIN.toNanos()) {
        violations.add(what + ": answered after " + took / 1_000_000 + " ms");
      }
    }

    Map<String, Map<String, AttributeValue>> after = table();
    List<String> changed = new ArrayList<>();
    int claims = 0;
    for (Map.Entry<String, Map<String, AttributeValue>> item : after.entrySet()) {
      if (item.getValue().equals(before.get(item.getKey()))) {
        continue;
      }
      String key = item.getKey();
      if (created.stream().anyMatch(id -> key.startsWith("REG#" + id + " "))) {
        continue;
      }
      if (key.startsWith("DEV#") && !before.containsKey(key)) {
        claims++;
        continue;
      }
      if (key.startsWith("SUB#") && rebound > 0) {
        // The subscription pointer of a rebinding answered 200.
        continue;
      }
      changed.add(key);
    }
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        changed.add(key + " (deleted)");
      }
    }
    double errors = errorLogs() - errorsBefore;
    System.out.printf(
        "hostile API requests: %d sent (seed %d), answers %s, %d over the body limit ended"
            + " without an answer, %d registrations created, slowest %.1f ms, error log lines"
            + " %.0f%n",
        REQUESTS, SEED, answers, oversizedUnanswered, created.size(), slowest / 1e6, errors);
    assertThat(violations).isEmpty();
    assertThat(changed).as("items changed by refused requests").isEmpty();
    assertThat(claims).isLessThanOrEqualTo(created.size());
    assertThat(errors).isZero();
  }

  private static String abbreviated(String path) {
    return path.length() > 80 ? path.substring(0, 80) + "..." : path;
  }

  private static byte[] registration(Random random) {
    boolean apns = random.nextBoolean();
    String token =
        apns
            ? HexFormat.of().formatHex(bytes(random, 32))
            : "fcm-" + HexFormat.of().formatHex(bytes(random, 40));
    String json =
        apns
            ? "{\"platform\":\"apns\",\"appId\":\"com.example.mail\",\"apnsEnvironment\":\"production\","
                + "\"deviceToken\":\""
                + token
                + "\"}"
            : "{\"platform\":\"fcm\",\"appId\":\"example-mail\",\"deviceToken\":\"" + token + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] binding() {
    return "{\"subscriptionId\":\"AAMkAGI2TG93AAA=\",\"inboxFolderId\":\"AQMkInbox=\",\"statusFrequency\":5}"
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Random random, int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }

  private static final String[] WEIRD_IDS = {
    "..",
    "%2e%2e",
    "%00",
    "a%2Fb",
    "%252e",
    "00000000-0000-0000-0000-000000000000",
    "é",
    "%E2%80%AE",
    "'%20OR%20'1'='1",
    "x".repeat(3000),
    "-1",
    "null",
    "%20",
    "REG%23x",
  };

  private static final String[] CONTENT_TYPES = {
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=ISO-8859-1",
    "multipart/form-data; boundary=x",
    "application/merge-patch+json",
    "*/*",
    "application/json;;;",
  };

  private Generated generate(Random random, String ownId) {
    int kind = random.nextInt(10);
    if (kind < 6) {
      byte[] body = mutate(random, registration(random));
      return new Generated(HttpMethod.POST, "/v1/registrations", contentType(random), body);
    }
    String id = random.nextInt(3) == 0 ? ownId : WEIRD_IDS[random.nextInt(WEIRD_IDS.length)];
    if (kind < 8) {
      String path =
          "/v1/registrations/" + id + (random.nextBoolean() ? "/subscription" : "/device-token");
      return new Generated(HttpMethod.PUT, path, contentType(random), mutate(random, binding()));
    }
    HttpMethod method =
        List.of(
                HttpMethod.GET,
                HttpMethod.DELETE,
                HttpMethod.PATCH,
                HttpMethod.OPTIONS,
                HttpMethod.HEAD)
            .get(random.nextInt(5));
    // Deletions only of ids that are not the caller's own: the table must stay as it was.
    String target = method == HttpMethod.DELETE && id.equals(ownId) ? WEIRD_IDS[0] : id;
    String suffix =
        List.of("", "/", "/refresh", "/../../v1/registrations", "/%2e%2e/x").get(random.nextInt(5));
    return new Generated(method, "/v1/registrations/" + target + suffix, null, null);
  }

  private static String contentType(Random random) {
    return random.nextInt(3) == 0
        ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
        : "application/json";
  }

  private static byte[] mutate(Random random, byte[] json) {
    String text = new String(json, StandardCharsets.UTF_8);
    int at = random.nextInt(text.length());
    String mutated =
        switch (random.nextInt(14)) {
          case 0 -> "[".repeat(20_000) + "]".repeat(20_000);
          case 1 -> "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
          case 2 -> text.replace("}", ",\"statusFrequency\":" + "9".repeat(1000) + "}");
          case 3 -> text.replace("}", ",\"x\":1e999999}");
          case 4 -> text.replaceFirst("\\{", "{\"platform\":\"fcm\",\"platform\":\"apns\",");
          case 5 -> text.substring(0, at);
          case 6 -> text.substring(0, at) + "\\u0000" + text.substring(at);
          case 7 -> text.replace("}", ",\"pad\":\"" + "z".repeat(20_000) + "\"}");
          case 8 -> text.replaceFirst(":\"[^\"]*\"", ":null");
          case 9 -> text.replaceFirst(":\"[^\"]*\"", ":[1,2,{}]");
          case 10 -> text + "garbage";
          case 11 -> text.replace("statusFrequency\":5", "statusFrequency\":-5");
          default -> text;
        };
    byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
    return switch (random.nextInt(8)) {
      case 0 -> mutated.getBytes(StandardCharsets.UTF_16LE);
      case 1 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes);
      case 2 -> concat(bytes, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
      case 3 -> {
        byte[] copy = bytes.clone();
        if (copy.length > 0) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        yield copy;
      }
      default -> bytes;
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
