package dev.inboxpush.store.dynamo;

import dev.inboxpush.store.TableCall;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;

/**
 * Builds the one long-lived {@link DynamoDbAsyncClient} a service uses.
 *
 * <p>Against AWS the default credential chain applies (environment, web identity, container or
 * instance role). With an {@code endpoint} override (a local engine) static dummy credentials are
 * used, since dynalite does not check them. Every call has {@code apiCallTimeout} as its overall
 * bound, so a hung table turns into an error promptly; every finished call is told to the given
 * {@link TableCall.Listener}. The caller closes the client on shutdown.
 */
public final class DynamoClients {

  private DynamoClients() {}

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
    DynamoDbAsyncClientBuilder builder =
        DynamoDbAsyncClient.builder()
            .region(Region.of(region))
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .maxConcurrency(maxConcurrency)
                    .connectionTimeout(Duration.ofSeconds(2)))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallTimeout(apiCallTimeout)
                    .apiCallAttemptTimeout(apiCallTimeout.dividedBy(2))
                    .addMetricPublisher(new CallObserver(calls))
                    .build());
    if (endpoint != null) {
      builder
          .endpointOverride(endpoint)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }
}
