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
public final class PlatformRouter implements Dispatcher {

  private static final DispatchOutcome PLATFORM_NOT_CONFIGURED =
      new DispatchOutcome.ConfigurationError(LaneReason.PLATFORM_NOT_CONFIGURED);

  private final Map<Platform, PlatformDispatcher> byPlatform = new EnumMap<>(Platform.class);

  /**
   * @throws IllegalArgumentException when two dispatchers claim one platform
   */
  public PlatformRouter(List<? extends PlatformDispatcher> dispatchers) {
    for (PlatformDispatcher dispatcher : dispatchers) {
      if (byPlatform.put(dispatcher.platform(), dispatcher) != null) {
        throw new IllegalArgumentException("two dispatchers for " + dispatcher.platform());
      }
    }
  }

  @Override
  public Mono<DispatchOutcome> dispatch(Push push) {
    PlatformDispatcher dispatcher = byPlatform.get(push.platform());
    if (dispatcher == null) {
      return Mono.just(PLATFORM_NOT_CONFIGURED);
    }
    return dispatcher.dispatch(push);
  }

  @Override
  public List<DispatchOutcome> outcomes(Platform platform) {
    PlatformDispatcher dispatcher = byPlatform.get(platform);
    return dispatcher == null ? List.of(PLATFORM_NOT_CONFIGURED) : dispatcher.outcomes();
  }
}
