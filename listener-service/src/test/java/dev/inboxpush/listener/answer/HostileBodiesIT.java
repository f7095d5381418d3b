package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.APP;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.apns.MockApns;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Mutated and generated SOAP bodies, over real HTTP, to a live registration's callback URL (so that
 * a body the parser accepts could write state and push). Every body starts from a real Exchange
 * payload of the corpus and takes one to four mutations: bytes flipped, cut, repeated or spliced
 * from another payload; elements nested thousands deep, attributes and text made huge; DOCTYPEs,
 * entities, XInclude, processing instructions and CDATA inserted; encodings declared wrong and
 * bytes made invalid UTF-8; counts and watermarks made negative, huge or not numbers.
 *
 * <p>Invariants for each body: the answer is 200 (a SOAP reply), a 4xx with a {@code soap:Client}
 * fault, or a 503 only as documented (never a 5xx else, never Spring's error page), within {@link
 * #ANSWER_WITHIN}; a refused body (4xx) made no table write; no ERROR log line (an unhandled
 * failure logs one). Bodies are sent one at a time, so that each write is the body's own.
 *
 * <p>Scale: {@code -Dfuzz.bodies=N} (default 4,000 in a run of the suite; the recorded run is in
 * docs/reliability.md); {@code -Dfuzz.seed=S} repeats a run. Prints the seed, the counts by answer
 * and the slowest answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ListenerHarness.ClockOnly.class)
class HostileBodiesIT {

  static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  static final int BODIES = Integer.getInteger("fuzz.bodies", 4_000);
  static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  static final List<String> WRITES =
      List.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems");

  private static final MockApns MOCK = MockApns.start();
  private static final MockApns.SigningKey KEY = MOCK.newSigningKey("KEY0000010", APP.value());

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("hostile-bodies", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    MOCK.listenerProperties(KEY, APP.value())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @AfterAll
  static void stopMock() {
    MOCK.close();
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired MeterRegistry meters;

  private double writes() {
    double total = 0;
    for (Counter counter : meters.find("inboxpush.dynamodb.calls").counters()) {
      if (WRITES.contains(counter.getId().getTag("operation"))) {
        total += counter.count();
      }
    }
    return total;
  }

  private double errorLogs() {
    Counter errors = meters.find("logback.events").tag("level", "error").counter();
    return errors == null ? 0 : errors.count();
  }

  @Test
  void noMutatedBodyGetsAnUndocumentedAnswerAWriteWhenRefusedOrAnErrorLog() {
    String device = apnsToken();
    MOCK.allow(APP.value(), device);
    ListenerHarness harness = new ListenerHarness(http, store);
    String subscription = "AAMkAGI2TG93AAA=";
    Registration registration = harness.register(device, binding(subscription));
    List<byte[]> seeds = Corpus.names().map(Corpus::payload).toList();
    Random random = new Random(SEED);
    BodyMutator mutator = new BodyMutator(random, seeds);
    WebTestClient client = http.mutate().responseTimeout(ANSWER_WITHIN.multipliedBy(2)).build();
    Map<String, Integer> answers = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    long slowest = 0;
    double errorLogsBefore = errorLogs();

    for (int i = 0; i < BODIES && violations.size() < 5; i++) {
      byte[] body = mutator.next();
      double writesBefore = writes();
      long start = System.nanoTime();
      EntityExchangeResult<byte[]> result =
          client
              .post()
              .uri("/ews/v1/{token}", registration.callbackToken().value())
              .header("Content-Type", random.nextInt(20) == 0 ? "application/xml" : "text/xml")
              .bodyValue(body)
              .exchange()
              .expectBody()
              .returnResult();
      long took = System.nanoTime() - start;
      slowest = Math.max(slowest, took);
      int status = result.getStatus().value();
      String reply =
          result.getResponseBody() == null
              ? ""
              : new String(result.getResponseBody(), StandardCharsets.UTF_8);
      answers.merge(
          status + (reply.contains("Unsubscribe") ? " Unsubscribe" : ""), 1, Integer::sum);
      String what = "body " + i + " (seed " + SEED + ")";
      if (status == 200) {
        if (!reply.contains("SendNotificationResult")) {
          violations.add(what + ": 200 without a SendNotificationResult");
        }
      } else if (status >= 400 && status < 500) {
        if (!reply.contains("soap:Client")) {
          violations.add(what + ": " + status + " without a soap:Client fault");
        }
        if (writes() != writesBefore) {
          violations.add(what + ": refused " + status + " but wrote to the table");
        }
      } else {
        violations.add(what + ": answered " + status + ": " + reply);
      }
      if (took > ANSWER_WITHIN.toNanos()) {
        violations.add(what + ": answered after " + took / 1_000_000 + " ms");
      }
    }
    double errorLogs = errorLogs() - errorLogsBefore;
    System.out.printf(
        "hostile SOAP bodies: %d sent (seed %d), answers %s, slowest %.1f ms, error log lines %.0f%n",
        BODIES, SEED, answers, slowest / 1e6, errorLogs);
    assertThat(violations).isEmpty();
    assertThat(errorLogs).isZero();
    // The corpus is real: some mutations still parse and are answered.
    assertThat(answers.keySet()).anyMatch(answer -> answer.startsWith("200"));
    assertThat(answers.keySet()).anyMatch(answer -> answer.startsWith("400"));
  }
}
