package dev.inboxpush.listener.answer;

import static dev.inboxpush.listener.answer.ListenerHarness.INBOX;
import static dev.inboxpush.listener.answer.ListenerHarness.apnsToken;
import static dev.inboxpush.listener.answer.ListenerHarness.binding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.dispatch.DispatchOutcome;
import dev.inboxpush.listener.dispatch.ScriptedDispatcher;
import dev.inboxpush.model.Registration;
import dev.inboxpush.store.dynamo.DynamoStore;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.ews.EwsPayloads;
import dev.inboxpush.testsupport.logs.JsonLogLines;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * With Spring Boot's structured logging on ({@code logging.structured.format.console=ecs}), every
 * line is one ECS JSON object, and every line a POST causes (on the event loop, on the AWS SDK's
 * completion threads, in the store and the delivery path) carries that request's trace id, which is
 * the caller's when it sends a W3C {@code traceparent}. Identifiers stay masked.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"logging.structured.format.console=ecs", "logging.level.dev.inboxpush=DEBUG"})
@AutoConfigureWebTestClient
@Import(ListenerHarness.Beans.class)
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIT {

  private static final String SUBSCRIPTION =
      "KQBleGNoMDEuY29udG9zby5leGFtcGxlEAAAAJ1c7Hq0bVRNp4sGm2dWcA4=";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("structured", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("inboxpush.listener.outbox.enabled", () -> "false");
    // One table, no replication: a dead token is final at once (ReplicationAllowanceIT and
    // ReplicationLagIT cover the allowance).
    registry.add("inboxpush.listener.answer.replication-allowance", () -> "0s");
  }

  @Autowired WebTestClient http;
  @Autowired DynamoStore store;
  @Autowired ScriptedDispatcher dispatcher;
  @Autowired Clock clock;

  @Test
  void everyLineIsJsonAndEveryLineOfARequestCarriesItsTraceId(CapturedOutput output) {
    ListenerHarness harness = new ListenerHarness(http, store);
    String token = apnsToken();
    Registration registration = harness.register(token, binding(SUBSCRIPTION));

    String failed = JsonLogLines.newTraceId();
    List<JsonNode> failedLines =
        linesOf(
            output,
            () ->
                post(
                    registration,
                    failed,
                    EwsPayloads.failure("ErrorReadEventsFailed", SUBSCRIPTION)));

    dispatcher.answer(token, new DispatchOutcome.TokenDead(clock.instant(), "Unregistered"));
    String dead = JsonLogLines.newTraceId();
    List<JsonNode> deadLines =
        linesOf(
            output,
            () ->
                post(
                    registration,
                    dead,
                    EwsPayloads.notification(SUBSCRIPTION)
                        .newMail("j", INBOX)
                        .folderModified(INBOX, 3)
                        .build()));

    assertThat(failedLines)
        .as("the failed subscription's lines")
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line.path("traceId").asString()).isEqualTo(failed));
    assertThat(deadLines)
        .as("the dead token's lines, on the SDK's threads too")
        .extracting(line -> line.path("log").path("logger").asString())
        .contains(
            "dev.inboxpush.store.dynamo.DynamoRegistrationStore",
            "dev.inboxpush.listener.delivery.PushDelivery");
    assertThat(deadLines)
        .allSatisfy(line -> assertThat(line.path("traceId").asString()).isEqualTo(dead));

    for (String line : output.getOut().lines().filter(l -> l.startsWith("{")).toList()) {
      assertThat(line)
          .doesNotContain(token)
          .doesNotContain(registration.callbackToken().value())
          .doesNotContain(SUBSCRIPTION);
    }
  }

  @Test
  void aRequestWithoutATraceparentGetsATraceIdOfItsOwn(CapturedOutput output) {
    ListenerHarness harness = new ListenerHarness(http, store);
    Registration registration = harness.register(apnsToken(), binding(SUBSCRIPTION));

    List<JsonNode> lines =
        linesOf(
            output,
            () ->
                post(
                    registration,
                    null,
                    EwsPayloads.failure("ErrorReadEventsFailed", SUBSCRIPTION)));

    assertThat(lines).isNotEmpty();
    assertThat(lines.stream().map(line -> line.path("traceId").asString()).distinct())
        .singleElement()
        .asString()
        .matches("[0-9a-f]{32}");
  }

  private void post(Registration registration, String traceId, byte[] body) {
    WebTestClient.RequestBodySpec request =
        http.post()
            .uri("/ews/v1/{token}", registration.callbackToken().value())
            .header("Content-Type", "text/xml");
    if (traceId != null) {
      request.header("traceparent", JsonLogLines.traceparent(traceId));
    }
    request.bodyValue(body).exchange().expectStatus().isOk().expectBody();
  }

  /**
   * The lines of our own loggers that {@code action} wrote, each parsed; a line that is not JSON
   * fails the test.
   */
  private static List<JsonNode> linesOf(CapturedOutput output, Runnable action) {
    int before = output.getOut().length();
    action.run();
    return JsonLogLines.ofLoggers(output.getOut().substring(before), "dev.inboxpush.");
  }
}
