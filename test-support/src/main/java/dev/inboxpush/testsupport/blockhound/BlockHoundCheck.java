package dev.inboxpush.testsupport.blockhound;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves that BlockHound is installed in this JVM: a blocking call on a Reactor non-blocking thread
 * and on a Netty event loop must each fail with {@link BlockingOperationError}. Each service's
 * tests call {@link #assertArmed()}, so that a lost installer fails the build instead of silently
 * letting blocking calls through.
 */
public final class BlockHoundCheck {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private BlockHoundCheck() {}

  /**
   * @throws AssertionError when a blocking call went through on any of those kinds of thread
   */
  public static void assertArmed() {
    Throwable onReactor = null;
    try {
      Mono.fromCallable(BlockHoundCheck::sleepBriefly)
          .subscribeOn(Schedulers.parallel())
          .block(TIMEOUT);
    } catch (RuntimeException | Error e) {
      onReactor = e;
    }
    requireBlockingError("a Reactor parallel thread", onReactor);

    MultiThreadIoEventLoopGroup loop =
        new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Future<Boolean> task = loop.submit(BlockHoundCheck::sleepBriefly);
      Throwable onNetty = null;
      try {
        task.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        onNetty = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } catch (TimeoutException e) {
        throw new AssertionError("the event loop did not run the task", e);
      }
      requireBlockingError("a Netty event loop", onNetty);
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static boolean sleepBriefly() throws InterruptedException {
    Thread.sleep(1);
    return true;
  }

  private static void requireBlockingError(String where, Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof BlockingOperationError) {
        return;
      }
    }
    throw new AssertionError(
        "BlockHound is not armed: Thread.sleep on " + where + " went through", thrown);
  }
}
