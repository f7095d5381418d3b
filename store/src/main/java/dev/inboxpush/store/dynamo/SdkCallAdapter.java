package dev.inboxpush.store.dynamo;

import dev.inboxpush.store.StoreException;
import dev.inboxpush.store.StoreUnavailableException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Adapts SDK futures to lazy Monos and maps failures: a failed condition stays a {@link
 * ConditionalCheckFailedException} for the caller to turn into an outcome; what retrying may fix
 * (no connection, timeouts, throttling, server errors) becomes {@link StoreUnavailableException};
 * anything else (missing table, denied access, invalid request) a {@link StoreException}.
 */
final class SdkCallAdapter {

  /** Error codes DynamoDB answers with a 400 that are nonetheless worth retrying. */
  private static final Set<String> THROTTLING =
      Set.of(
          "ProvisionedThroughputExceededException",
          "RequestLimitExceeded",
          "ThrottlingException",
          "LimitExceededException");

  private SdkCallAdapter() {}

  static <T> Mono<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return Mono.fromFuture(request)
        .onErrorMap(
            error -> !(error instanceof ConditionalCheckFailedException),
            error -> map(operation, error));
  }

  /** Runs a conditional write; emits {@code false} instead of failing when the condition fails. */
  static <T> Mono<Boolean> conditional(String operation, Supplier<CompletableFuture<T>> request) {
    return call(operation, request)
        .thenReturn(true)
        .onErrorResume(ConditionalCheckFailedException.class, e -> Mono.just(false));
  }

  static StoreException map(String operation, Throwable error) {
    if (error instanceof StoreException already) {
      return already;
    }
    String message = "DynamoDB " + operation + " failed: " + error.getMessage();
    if (isTransient(error)) {
      return new StoreUnavailableException(message, error);
    }
    return new StoreException(message, error);
  }

  private static boolean isTransient(Throwable error) {
    if (error instanceof SdkClientException) {
      return true;
    }
    if (error instanceof DynamoDbException dynamo) {
      String code = dynamo.awsErrorDetails() == null ? "" : dynamo.awsErrorDetails().errorCode();
      return dynamo.statusCode() >= 500
          || THROTTLING.contains(code)
          || dynamo.isThrottlingException();
    }
    return false;
  }
}
