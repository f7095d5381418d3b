package dev.inboxpush.registration.api;

import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.dynamo.DynaliteProperties;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What a test of the API against the shared dynalite sets alike: a table of its own, the issuer's
 * JWK set and issuer, the listener's base URL and an owner-hash key; and the table's item count, to
 * show a refused request wrote nothing.
 */
final class ApiTestSettings {

  private ApiTestSettings() {}

  /** A table named after {@code table} (made unique) in the shared dynalite: its settings. */
  static Map<String, String> table(String table) {
    return DynaliteProperties.forTable(table, Dynalite.shared());
  }

  /** Registers the settings of a service on {@code store}, trusting {@code issuer}. */
  static void register(
      DynamicPropertyRegistry registry, Map<String, String> store, JwtIssuer issuer) {
    store.forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer::jwkSetUri);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::issuer);
    registry.add("inboxpush.registration.listener-base-url", () -> "https://listener.example.com");
    registry.add("inboxpush.registration.owner-hash-key", () -> "k".repeat(40));
  }

  /** How many items {@code store}'s table holds (a consistent scan). */
  static int items(Map<String, String> store) {
    return Dynalite.shared()
        .sharedClient()
        .scan(
            ScanRequest.builder()
                .tableName(store.get("inboxpush.dynamodb.table-name"))
                .consistentRead(true)
                .build())
        .join()
        .count();
  }
}
