package dev.inboxpush.autoconfigure.guard;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;

/**
 * Reactor's hook for errors that arrive after a sequence has ended, installed once per JVM. A
 * request ended by the read or request timeout has been answered (408) by the time Reactor Netty
 * signals the timeout a second time, to an inbound that is already done; Reactor's default logs
 * that at ERROR, so every slow client would page someone. This logs those timeouts at DEBUG and
 * every other dropped error at ERROR, as the default does.
 */
final class DroppedErrors {

  private static final Logger log = LoggerFactory.getLogger(DroppedErrors.class);
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private DroppedErrors() {}

  static void install() {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    Hooks.onErrorDropped(
        error -> {
          if (SlowClient.timedOut(error)) {
            log.debug("a slow client's timeout, after its answer: {}", error.toString());
          } else {
            log.error("Operator called default onErrorDropped", error);
          }
        });
  }
}
