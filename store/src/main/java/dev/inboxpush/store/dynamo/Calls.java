package dev.inboxpush.store.dynamo;

import dev.inboxpush.store.StoreUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Adapts SDK futures to lazy Monos and maps failures: a failed condition stays a {@link
 * ConditionalCheckFailedException} for the caller to turn into an outcome; anything else becomes a
 * {@link StoreUnavailableException}.
 */
final class Calls {

  private Calls() {}

  static <T> Mono<T> call(String operation, Supplier<CompletableFuture<T>> request) {
    return Mono.fromFuture(request)
        .onErrorMap(
            error -> !(error instanceof ConditionalCheckFailedException),
            error ->
                new StoreUnavailableException(
                    "DynamoDB " + operation + " failed: " + error.getMessage(), error));
  }

  /** Runs a conditional write; emits {@code false} instead of failing when the condition fails. */
  static <T> Mono<Boolean> conditional(String operation, Supplier<CompletableFuture<T>> request) {
    return call(operation, request)
        .thenReturn(true)
        .onErrorResume(ConditionalCheckFailedException.class, e -> Mono.just(false));
  }
}
