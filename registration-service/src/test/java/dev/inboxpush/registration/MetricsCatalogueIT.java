package dev.inboxpush.registration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import dev.inboxpush.testsupport.metrics.CatalogueCheck;
import dev.inboxpush.testsupport.metrics.MetricsCatalogue;
import dev.inboxpush.testsupport.metrics.PrometheusScrape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * docs/metrics.md is the registration service's metric catalogue: the real service publishes
 * exactly the families catalogued for it, of the catalogued types, and every series carries exactly
 * the catalogued tags. A registration and a refusal are made first, so that the meters created on
 * first use exist. On failure the scrape is kept in {@code target/metrics-scrape-registration.txt}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class MetricsCatalogueIT {

  static final JwtIssuer ISSUER = JwtIssuer.start();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    DynaliteProperties.forTable("metrics", Dynalite.shared())
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
  @LocalManagementPort int managementPort;

  @Test
  void everyPublishedFamilyIsCataloguedAndEveryCataloguedOneIsPublished() throws IOException {
    String caller = ISSUER.token("user-" + UUID.randomUUID(), "inboxpush");
    String token =
        UUID.randomUUID().toString().replace("-", "")
            + UUID.randomUUID().toString().replace("-", "");
    http.post()
        .uri("/v1/registrations")
        .headers(headers -> headers.setBearerAuth(caller))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "platform", "apns",
                "appId", "com.example.mail",
                "apnsEnvironment", "production",
                "deviceToken", token))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody();
    http.get()
        .uri("/v1/registrations/{id}", UUID.randomUUID())
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody();

    String text = ManagementClient.scrape(managementPort);
    Path kept = Path.of("target/metrics-scrape-registration.txt");
    Files.createDirectories(kept.getParent());
    Files.writeString(kept, text);

    // Counted from start-up: an outcome nobody caused yet is there, at 0.
    assertThat(text)
        .contains(
            "inboxpush_registration_registrations_total{outcome=\"bound\","
                + "region=\"eu-west-1\",service=\"registration\"} 0.0");
    CatalogueCheck.assertAgree(
        MetricsCatalogue.read(Path.of("../docs/metrics.md")),
        MetricsCatalogue.REGISTRATION,
        PrometheusScrape.parse(text));
  }
}
