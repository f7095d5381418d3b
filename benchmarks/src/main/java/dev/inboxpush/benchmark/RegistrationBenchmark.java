package dev.inboxpush.benchmark;

import dev.inboxpush.registration.RegistrationApplication;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import dev.inboxpush.testsupport.jwt.JwtIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Benchmark of the registration API, run by {@code ./mvnw -B -pl benchmarks -am -DskipTests -P
 * registration verify}: new registrations/s and their latency through the real service (JWT
 * validation, validation, the store's four writes per new registration) against dynalite, beside
 * dynalite's own raw PutItem rate measured in the same run with the same concurrency; interleaved
 * rounds, medians. Prints figures. Lives outside {@code dev.inboxpush.registration}, so that the
 * application never scans it.
 */
public final class RegistrationBenchmark {

  private static final int ROUNDS = 3;
  private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));
  private static final int IN_FLIGHT = Integer.getInteger("bench.inFlight", 32);

  private RegistrationBenchmark() {}

  public static void main(String[] args) {
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    Dynalite dynalite = Dynalite.start();
    JwtIssuer issuer = JwtIssuer.start();
    String table = "bench-" + UUID.randomUUID();
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(RegistrationApplication.class)
            .run(
                "--server.port=0",
                "--management.server.port=0",
                "--logging.level.root=WARN",
                "--inboxpush.region=eu-west-1",
                "--inboxpush.dynamodb.endpoint=" + dynalite.endpoint(),
                "--inboxpush.dynamodb.table-name=" + table,
                "--inboxpush.dynamodb.create-table=true",
                "--inboxpush.registration.listener-base-url=https://listener.example.com",
                "--inboxpush.registration.owner-hash-key=" + "k".repeat(40),
                "--inboxpush.registration.rate-limit.per-caller=100000000",
                "--inboxpush.registration.rate-limit.per-address=100000000",
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.jwkSetUri(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.issuer());
    ConnectionProvider connections =
        ConnectionProvider.builder("bench").maxConnections(IN_FLIGHT).build();
    DynamoDbAsyncClient raw = dynalite.newClient();
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      List<String> bearers =
          java.util.stream.IntStream.range(0, 50)
              .mapToObj(i -> issuer.token("user-" + i, "inboxpush"))
              .toList();
      HttpClient client =
          HttpClient.create(connections)
              .port(port)
              .headers(h -> h.set("Content-Type", "application/json"));
      Supplier<Mono<Integer>> register =
          () -> {
            String body =
                "{\"platform\":\"fcm\",\"appId\":\"example-mail\",\"deviceToken\":\"fcm-"
                    + UUID.randomUUID()
                    + ":APA91b-bench-token\"}";
            String bearer = bearers.get(ThreadLocalRandom.current().nextInt(bearers.size()));
            return client
                .headers(h -> h.set("Authorization", "Bearer " + bearer))
                .post()
                .uri("/v1/registrations")
                .send(
                    Mono.fromSupplier(
                        () ->
                            io.netty.buffer.Unpooled.wrappedBuffer(
                                body.getBytes(StandardCharsets.UTF_8))))
                .responseSingle(
                    (response, content) -> content.then(Mono.just(response.status().code())));
          };
      Supplier<Mono<Integer>> putItem =
          () ->
              Mono.fromFuture(
                      () ->
                          raw.putItem(
                              PutItemRequest.builder()
                                  .tableName(table)
                                  .item(
                                      Map.of(
                                          "pk", AttributeValue.fromS("RAW#" + UUID.randomUUID()),
                                          "sk", AttributeValue.fromS("RAW"),
                                          "payload", AttributeValue.fromS("x".repeat(600))))
                                  .build()))
                  .thenReturn(201);
      run(register, Duration.ofSeconds(5)); // warm-up
      run(putItem, Duration.ofSeconds(3));
      double[] apiRates = new double[ROUNDS];
      double[] apiP99 = new double[ROUNDS];
      double[] rawRates = new double[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        double[] api = run(register, ROUND);
        apiRates[i] = api[0];
        apiP99[i] = api[1];
        rawRates[i] = run(putItem, ROUND)[0];
      }
      double api = median(apiRates);
      double rawRate = median(rawRates);
      System.out.printf(
          Locale.ROOT,
          "%d in flight, %d rounds of %ds, interleaved%n",
          IN_FLIGHT,
          ROUNDS,
          ROUND.toSeconds());
      System.out.printf(
          Locale.ROOT,
          "  registration API: %,8.0f registrations/s, p99 %.1f ms%n",
          api,
          median(apiP99));
      System.out.printf(Locale.ROOT, "  dynalite PutItem:  %,8.0f items/s%n", rawRate);
      System.out.printf(
          Locale.ROOT,
          "  ratio %.3f (a new registration is a consistent read and three conditional writes)%n",
          api / rawRate);
    } finally {
      connections.dispose();
      raw.close();
      app.close();
      issuer.close();
      dynalite.close();
    }
    System.exit(0);
  }

  /** Rate and p99 (ms) with a fixed number in flight; fails on any answer but 200/201. */
  private static double[] run(Supplier<Mono<Integer>> operation, Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong done = new AtomicLong();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    Flux.generate(sink -> sink.next(0))
        .takeWhile(ignored -> System.nanoTime() < end)
        .flatMap(
            ignored -> {
              long sent = System.nanoTime();
              return operation
                  .get()
                  .doOnNext(
                      status -> {
                        if (status != 200 && status != 201) {
                          throw new IllegalStateException("answered " + status);
                        }
                        done.incrementAndGet();
                        latencies.add(System.nanoTime() - sent);
                      });
            },
            IN_FLIGHT)
        .blockLast(duration.plusSeconds(60));
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double p99 =
        sorted.length == 0
            ? 0
            : sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1e6;
    return new double[] {done.get() / seconds, p99};
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
