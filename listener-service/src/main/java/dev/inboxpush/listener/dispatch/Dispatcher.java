package dev.inboxpush.listener.dispatch;

import reactor.core.publisher.Mono;

/**
 * Sends one push. Implementations are long-lived beans, thread-safe, non-blocking (lazy Monos on
 * their own event loops), bound their own in-flight work, and report every provider answer as a
 * {@link DispatchOutcome}: the returned Mono emits exactly one outcome and does not fail. Callers
 * apply their own time budget.
 */
public interface Dispatcher {

  Mono<DispatchOutcome> dispatch(Push push);
}
