package dev.inboxpush.benchmark;

import dev.inboxpush.listener.ListenerApplication;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting what the benchmarks measure, on free ports in this JVM. */
final class BenchmarkApps {

  private BenchmarkApps() {}

  /**
   * This module has both services on its class path, so Spring Security (the registration
   * service's) is there too; the listener runs without it in production, and so it does here.
   */
  static final String WITHOUT_SECURITY =
      "--spring.autoconfigure.exclude="
          + String.join(
              ",",
              "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
              "org.springframework.boot.security.autoconfigure"
                  + ".ReactiveUserDetailsServiceAutoConfiguration",
              "org.springframework.boot.security.autoconfigure.web.reactive"
                  + ".ReactiveWebSecurityAutoConfiguration",
              "org.springframework.boot.security.autoconfigure.actuate.web.reactive"
                  + ".ReactiveManagementWebSecurityAutoConfiguration",
              "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive"
                  + ".ReactiveOAuth2ResourceServerAutoConfiguration");

  /**
   * The real listener on dynalite with a fresh table, plus {@code extra} configuration. Settings
   * are command-line arguments: they outrank application.yml (default properties would not).
   */
  static ConfigurableApplicationContext listener(Dynalite dynalite, Class<?>... extra) {
    Class<?>[] sources =
        Stream.concat(Stream.of(ListenerApplication.class), Arrays.stream(extra))
            .toArray(Class<?>[]::new);
    return new SpringApplicationBuilder(sources)
        .run(
            "--server.port=0",
            "--management.server.port=0",
            "--logging.level.root=WARN",
            WITHOUT_SECURITY,
            "--inboxpush.region=eu-west-1",
            "--inboxpush.dynamodb.endpoint=" + dynalite.endpoint(),
            "--inboxpush.dynamodb.table-name=bench-" + UUID.randomUUID(),
            "--inboxpush.dynamodb.create-table=true");
  }

  /**
   * The real listener, on a free port, with nothing but {@code settings} ({@code --key=value}
   * arguments: the table, the dispatchers) besides what every benchmark sets.
   */
  static ConfigurableApplicationContext listener(List<String> settings) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--server.port=0");
    arguments.add("--management.server.port=0");
    arguments.add("--logging.level.root=WARN");
    arguments.add(WITHOUT_SECURITY);
    arguments.addAll(settings);
    return new SpringApplicationBuilder(ListenerApplication.class)
        .run(arguments.toArray(String[]::new));
  }

  /** The yardstick: {@link TrivialEndpointApplication}. */
  static ConfigurableApplicationContext trivial() {
    return new SpringApplicationBuilder(TrivialEndpointApplication.class)
        .web(WebApplicationType.REACTIVE)
        .run(
            "--server.port=0",
            "--management.server.port=0",
            "--logging.level.root=WARN",
            "--spring.main.banner-mode=off",
            WITHOUT_SECURITY,
            // The listener's application.yml is on this class path too; there is no table here.
            "--management.endpoint.health.group.readiness.include=readinessState");
  }

  static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
