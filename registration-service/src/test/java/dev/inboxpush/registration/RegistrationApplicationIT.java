package dev.inboxpush.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.store.StoreSchemaException;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
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
 * The registration service starts against dynalite, serves health and metrics on its management
 * port only, and refuses to start on a missing table or a bad setting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RegistrationApplicationIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    registry.add("inboxpush.registration.listener-base-url", () -> "https://listener.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
    DynaliteProperties.forTable("registration", Dynalite.shared())
        .forEach((key, value) -> registry.add(key, () -> value));
  }

  static final JwtIssuer ISSUER = JwtIssuer.start();

  @org.junit.jupiter.api.AfterAll
  static void stopIssuer() {
    ISSUER.close();
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
  void theManagementPortServesNoRegistrationApi() {
    // A request the public port answers 201 finds nothing on the management port.
    java.util.Map<String, Object> registration =
        java.util.Map.of(
            "platform", "apns",
            "appId", "com.example.mail",
            "apnsEnvironment", "production",
            "deviceToken", "ab".repeat(32));
    String bearer = ISSUER.token("someone", "inboxpush");
    ManagementClient.on(managementPort)
        .post()
        .uri("/v1/registrations")
        .headers(headers -> headers.setBearerAuth(bearer))
        .bodyValue(registration)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody();
    http.post()
        .uri("/v1/registrations")
        .headers(headers -> headers.setBearerAuth(bearer))
        .bodyValue(registration)
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody();
  }

  @Test
  void prometheusMetricsCarryTheServiceAndRegionTags() {
    assertThat(ManagementClient.scrape(managementPort))
        .contains("jvm_memory_used_bytes")
        .contains("service=\"registration\"")
        .contains("region=\"eu-west-1\"");
  }

  @Test
  void startUpStopsWhenTheTableIsMissingAndCreationIsOff() {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(RegistrationApplication.class)
            .properties(
                "server.port=0",
                "management.server.port=0",
                "inboxpush.region=us-east-1",
                "inboxpush.registration.listener-base-url=https://listener.example.com",
                "inboxpush.registration.owner-hash-key=" + "k".repeat(40),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + ISSUER.jwkSetUri(),
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER.issuer(),
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
        new SpringApplicationBuilder(RegistrationApplication.class)
            .properties(
                "server.port=0",
                "management.server.port=0",
                "inboxpush.region=mars-north-1",
                "inboxpush.registration.listener-base-url=https://listener.example.com",
                "inboxpush.registration.owner-hash-key=" + "k".repeat(40),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + ISSUER.jwkSetUri(),
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER.issuer());

    assertThatThrownBy(app::run)
        .hasRootCauseInstanceOf(InvalidValueException.class)
        .rootCause()
        .hasMessageStartingWith("inboxpush.region: must be one of");
  }

  @Test
  void startUpStopsWithoutAnIssuer() {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(RegistrationApplication.class)
            .properties(
                "server.port=0",
                "management.server.port=0",
                "inboxpush.region=us-east-1",
                "inboxpush.registration.listener-base-url=https://listener.example.com",
                "inboxpush.registration.owner-hash-key=" + "k".repeat(40),
                // A reachable store (never AWS's default chain, which would try the network).
                "inboxpush.dynamodb.endpoint=" + Dynalite.shared().endpoint(),
                "inboxpush.dynamodb.table-name=issuer-" + UUID.randomUUID(),
                "inboxpush.dynamodb.create-table=true",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + ISSUER.jwkSetUri());

    assertThatThrownBy(app::run)
        .rootCause()
        .hasMessageContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri is required");
  }
}
