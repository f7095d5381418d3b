package dev.inboxpush.store.dynamo;

import dev.inboxpush.store.TableCall;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.endpoints.EndpointUrl;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

/**
 * Builds the one long-lived {@link DynamoDbAsyncClient} a service uses, configured for many small
 * calls to one table in one region.
 *
 * <p>Against AWS the default credential chain applies (environment, web identity, container or
 * instance role). With an {@code endpoint} override (a local engine) static dummy credentials are
 * used, since dynalite does not check them. Every finished call is told to the given {@link
 * TableCall.Listener}. The caller closes the client on shutdown.
 *
 * <p>The choices, each measured or forced by a failure (docs/architecture.md, "The table client"):
 *
 * <ul>
 *   <li>Netty's non-blocking HTTP client (not the AWS CRT client, whose native library and own
 *       event loop add a second I/O stack beside Reactor Netty's for no gain at these sizes), on an
 *       event loop of its own with one thread per processor (the SDK's default is two).
 *   <li>Futures complete on the SDK's default completion pool, so none of our code runs on the
 *       SDK's event loop. Completing them in place ({@code FUTURE_COMPLETION_EXECUTOR}) would save
 *       a thread switch per call; but with it, a registration call twice went unanswered for 5 s in
 *       the registration service's tests, not yet understood, so it is off.
 *   <li>A fixed endpoint (the regional one, or the local engine's) instead of the SDK's endpoint
 *       rules, which it otherwise evaluates on every call.
 *   <li>{@code apiCallTimeout} bounds each call, retries included, so that a hung table turns into
 *       an error in time for an answer. Each attempt is bounded by the HTTP client, not by the
 *       SDK's attempt timeout: connecting by at most half the call's bound (2 s at most), writing
 *       the request by half, and then waiting for the answer by half, as an idle read timeout.
 *       Against dynalite, calls that go unanswered for seconds happen (its prelude in test-support
 *       reports them), and without a bound per attempt each one costs the whole call. The SDK's
 *       attempt timeout is a timer beside the connection: it fails the attempt while its answer may
 *       already be on the connection's event loop, and as the SDK serves an attempt and its retry
 *       with one response handler, that late answer then failed the retry ("headersFuture is still
 *       not completed when onStream() is invoked", a 503). A read timeout fires on that event loop,
 *       in order with the reads, and the same task closes the connection, so no late answer can
 *       reach the retry. It narrows the race rather than ending it: the task fails the attempt
 *       before it tells the shared handler, so a retry prepared in those microseconds can still be
 *       failed by the first attempt's error, and is then retried itself within the bound. Retries
 *       stay the SDK's standard ones (throttling, 5xx, I/O errors such as a read timeout).
 * </ul>
 */
public final class DynamoClients {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private DynamoClients() {}

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * @param region the AWS region of the table replica to use
   * @param endpoint a local engine's URL, or {@code null} for AWS
   * @param apiCallTimeout the bound on one call including retries
   * @param maxConcurrency the most requests in flight on the HTTP client
   * @param calls hears of every call the client finishes (its metrics)
   */
  public static DynamoDbAsyncClient create(
      String region,
      @Nullable URI endpoint,
      Duration apiCallTimeout,
      int maxConcurrency,
      TableCall.Listener calls) {
    URI url =
        endpoint != null ? endpoint : URI.create("https://dynamodb." + region + ".amazonaws.com");
    Endpoint fixed = Endpoint.builder().endpointUrl(EndpointUrl.fromUri(url)).build();
    DynamoDbEndpointProvider endpoints = parameters -> CompletableFuture.completedFuture(fixed);
    Duration attemptTimeout = apiCallTimeout.dividedBy(2);
    DynamoDbAsyncClientBuilder builder =
        DynamoDbAsyncClient.builder()
            .region(Region.of(region))
            .endpointProvider(endpoints)
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .eventLoopGroupBuilder(
                        SdkEventLoopGroup.builder()
                            .numberOfThreads(Runtime.getRuntime().availableProcessors()))
                    .maxConcurrency(maxConcurrency)
                    .connectionTimeout(min(CONNECT_TIMEOUT, attemptTimeout))
                    .writeTimeout(attemptTimeout)
                    .readTimeout(attemptTimeout))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallTimeout(apiCallTimeout)
                    .addMetricPublisher(new CallObserver(calls))
                    .build());
    if (endpoint != null) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }
}
