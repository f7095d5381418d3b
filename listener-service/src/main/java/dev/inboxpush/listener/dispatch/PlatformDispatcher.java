package dev.inboxpush.listener.dispatch;

import dev.inboxpush.model.Platform;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Routes each push to the dispatcher of its platform. A platform without one (no APNs or FCM
 * credentials configured) answers {@link DispatchOutcome.ConfigurationError} {@code
 * platform_not_configured}: the badge goes pending and waits for the configuration, nothing is
 * deleted. Thread-safe.
 */
public final class PlatformDispatcher implements Dispatcher {

  private final Map<Platform, ProviderDispatcher> byPlatform = new EnumMap<>(Platform.class);

  /**
   * @throws IllegalArgumentException when two dispatchers claim one platform
   */
  public PlatformDispatcher(List<? extends ProviderDispatcher> dispatchers) {
    for (ProviderDispatcher dispatcher : dispatchers) {
      if (byPlatform.put(dispatcher.platform(), dispatcher) != null) {
        throw new IllegalArgumentException("two dispatchers for " + dispatcher.platform());
      }
    }
  }

  @Override
  public Mono<DispatchOutcome> dispatch(Push push) {
    ProviderDispatcher dispatcher = byPlatform.get(push.platform());
    if (dispatcher == null) {
      return Mono.just(new DispatchOutcome.ConfigurationError(LaneReason.PLATFORM_NOT_CONFIGURED));
    }
    return dispatcher.dispatch(push);
  }
}
