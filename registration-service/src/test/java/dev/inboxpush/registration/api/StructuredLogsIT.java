package dev.inboxpush.registration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.logs.JsonLogLines;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * With Spring Boot's structured logging on ({@code logging.structured.format.console=ecs}), every
 * line is one ECS JSON object, and the lines an API request causes (in the store, on the AWS SDK's
 * threads) carry that request's trace id, the caller's when it sends a W3C {@code traceparent}.
 * Neither the device token nor the bearer token reaches a line.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"logging.structured.format.console=ecs", "logging.level.dev.inboxpush=DEBUG"})
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("structured", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("inboxpush.registration.listener-base-url", () -> "https://listener.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
  }

  @AfterAll
  static void stopIssuer() {
    ISSUER.close();
  }

  @Autowired WebTestClient http;

  @Test
  void theLinesOfARegistrationCarryItsTraceIdAndNoSecret(CapturedOutput output) {
    String bearer = ISSUER.token("user-" + UUID.randomUUID(), "inboxpush");
    String deviceToken =
        UUID.randomUUID().toString().replace("-", "")
            + UUID.randomUUID().toString().replace("-", "");
    String traceId = JsonLogLines.newTraceId();

    int before = output.getOut().length();
    http.post()
        .uri("/v1/registrations")
        .headers(headers -> headers.setBearerAuth(bearer))
        .header("traceparent", JsonLogLines.traceparent(traceId))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "platform", "apns",
                "appId", "com.example.mail",
                "apnsEnvironment", "production",
                "deviceToken", deviceToken))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody();
    List<JsonNode> lines =
        JsonLogLines.ofLoggers(output.getOut().substring(before), "dev.inboxpush.");

    assertThat(lines)
        .extracting(line -> line.path("log").path("logger").asString())
        .contains("dev.inboxpush.store.dynamo.DynamoRegistrationStore");
    assertThat(lines)
        .allSatisfy(line -> assertThat(line.path("traceId").asString()).isEqualTo(traceId));
    assertThat(output.getOut()).doesNotContain(deviceToken).doesNotContain(bearer);
  }
}
