package dev.inboxpush.listener.dispatch;

import dev.inboxpush.model.Platform;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Sends one push. Implementations are long-lived beans, thread-safe, non-blocking (lazy Monos on
 * their own event loops), bound their own in-flight work, and report every provider answer as a
 * {@link DispatchOutcome}: the returned Mono emits exactly one outcome and does not fail. Callers
 * apply their own time budget.
 */
public interface Dispatcher {

  Mono<DispatchOutcome> dispatch(Push push);

  /**
   * Every outcome, by its tags, that {@link #dispatch} can give for a push of {@code platform}, but
   * a provider's undocumented status ({@code status_NNN}): for counters that exist before their
   * first push. None unless the implementation knows them.
   */
  default List<DispatchOutcome> outcomes(Platform platform) {
    return List.of();
  }
}
