package dev.inboxpush.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.store.StoreSchemaException;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The listener service starts against dynalite and answers its health and metrics endpoints. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ListenerApplicationIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("listener", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
  }

  @Autowired WebTestClient http;

  @Test
  void healthLivenessAndReadinessAreUp() {
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      http.get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP");
    }
  }

  @Test
  void prometheusMetricsCarryTheServiceTag() {
    String body =
        http.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(body).contains("jvm_memory_used_bytes").contains("service=\"listener\"");
  }

  @Test
  void startUpStopsWhenTheTableIsMissingAndCreationIsOff() {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(ListenerApplication.class)
            .properties(
                "server.port=0",
                "inboxpush.region=us-east-1",
                "inboxpush.dynamodb.endpoint=" + Dynalite.shared().endpoint(),
                "inboxpush.dynamodb.table-name=missing-" + UUID.randomUUID());

    assertThatThrownBy(app::run)
        .hasRootCauseInstanceOf(StoreSchemaException.class)
        .rootCause()
        .hasMessageContaining("does not exist")
        .hasMessageContaining("inboxpush.dynamodb.create-table=true");
  }

  @Test
  void startUpStopsWithoutARegion() {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(ListenerApplication.class)
            .properties("server.port=0", "inboxpush.region=mars-north-1");

    assertThatThrownBy(app::run)
        .hasRootCauseInstanceOf(InvalidValueException.class)
        .rootCause()
        .hasMessageStartingWith("inboxpush.region: must be one of");
  }
}
