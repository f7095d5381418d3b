package dev.inboxpush.benchmark;

import dev.inboxpush.listener.ListenerApplication;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import java.util.Arrays;
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
            "--logging.level.root=WARN",
            "--inboxpush.region=eu-west-1",
            "--inboxpush.dynamodb.endpoint=" + dynalite.endpoint(),
            "--inboxpush.dynamodb.table-name=bench-" + UUID.randomUUID(),
            "--inboxpush.dynamodb.create-table=true");
  }

  /** The yardstick: {@link TrivialEndpointApplication}. */
  static ConfigurableApplicationContext trivial() {
    return new SpringApplicationBuilder(TrivialEndpointApplication.class)
        .web(WebApplicationType.REACTIVE)
        .run("--server.port=0", "--logging.level.root=WARN", "--spring.main.banner-mode=off");
  }

  static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
