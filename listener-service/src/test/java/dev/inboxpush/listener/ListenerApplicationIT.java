package dev.inboxpush.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.store.StoreSchemaException;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The listener service starts against dynalite, serves health and metrics on its management port
 * only, and refuses to start on a missing table or a bad setting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ListenerApplicationIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("listener", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
  }

  @Autowired WebTestClient http;
  @LocalManagementPort int managementPort;

  @Test
  void healthLivenessAndReadinessAreUpOnTheManagementPort() {
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      ManagementClient.on(managementPort)
          .get()
          .uri(path)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/actuator",
        "/actuator/health",
        "/actuator/health/readiness",
        "/actuator/prometheus",
        "/actuator/info",
        "/actuator/env"
      })
  void actuatorIsNotOnThePublicPort(String path) {
    http.get().uri(path).exchange().expectStatus().isNotFound().expectBody();
  }

  @Test
  void theManagementPortServesNoEwsEndpoint() {
    ManagementClient.on(managementPort)
        .post()
        .uri("/ews/v1/{token}", CallbackToken.generate().value())
        .header("Content-Type", "text/xml")
        .bodyValue(Corpus.payload("heartbeat-exchange2016"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody();
  }

  @Test
  void prometheusMetricsCarryTheServiceAndRegionTags() {
    assertThat(ManagementClient.scrape(managementPort))
        .contains("jvm_memory_used_bytes")
        .contains("service=\"listener\"")
        .contains("region=\"eu-west-1\"");
  }

  @Test
  void startUpStopsWhenTheTableIsMissingAndCreationIsOff() {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(ListenerApplication.class)
            .properties(
                "server.port=0",
                "management.server.port=0",
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
            .properties(
                "server.port=0", "management.server.port=0", "inboxpush.region=mars-north-1");

    assertThatThrownBy(app::run)
        .hasRootCauseInstanceOf(InvalidValueException.class)
        .rootCause()
        .hasMessageStartingWith("inboxpush.region: must be one of");
  }
}
