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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The registration service starts against dynalite and answers its health and metrics endpoints.
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
        // The service's 16 KB codec limit applies to the test client too; metrics are larger.
        http.mutate()
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build()
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(body).contains("jvm_memory_used_bytes").contains("service=\"registration\"");
  }

  @Test
  void startUpStopsWhenTheTableIsMissingAndCreationIsOff() {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(RegistrationApplication.class)
            .properties(
                "server.port=0",
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
