package dev.inboxpush.listener.dispatch;

import dev.inboxpush.model.Platform;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A platform's dispatcher (APNs, FCM), as {@link PlatformRouter} finds it among the beans. Not a
 * {@link Dispatcher} itself, so that the one {@link Dispatcher} bean stays the router. Same
 * contract as {@link Dispatcher#dispatch}: lazy, non-blocking, exactly one outcome, never an error.
 */
public interface PlatformDispatcher {

  /** The platform whose pushes this dispatcher sends. */
  Platform platform();

  /** Sends one push of {@link #platform()}. */
  Mono<DispatchOutcome> dispatch(Push push);

  /**
   * Every outcome, by its tags, that {@link #dispatch} can give, but a provider's undocumented
   * status ({@code status_NNN}): for counters that exist before their first push.
   */
  List<DispatchOutcome> outcomes();

  /**
   * One {@link WarmUp.Call} per configured lane (none without lanes): each lazily sends one request
   * that delivers nothing through the clients the lane uses, but outside the lane, so that no push
   * is counted and no circuit or valve sees the answer. Builds nothing and sends nothing itself.
   */
  List<WarmUp.Call> warmUps();
}
