package dev.inboxpush.listener;

import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A test client for the management port (Actuator: health, info, Prometheus), which a test gets
 * with {@code @LocalManagementPort}; Spring Boot's test support gives it a random port of its own
 * beside the public one. Scrapes are larger than the default codec limit, so this client reads
 * bodies up to 4 MB.
 */
public final class ManagementClient {

  private ManagementClient() {}

  /** A client of the management server on 127.0.0.1 at {@code port}. */
  public static WebTestClient on(int port) {
    return WebTestClient.bindToServer()
        .baseUrl("http://127.0.0.1:" + port)
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
        .build();
  }

  /** The Prometheus scrape of the management server on {@code port}. */
  public static String scrape(int port) {
    return on(port)
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
