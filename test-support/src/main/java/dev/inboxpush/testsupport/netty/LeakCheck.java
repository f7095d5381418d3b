package dev.inboxpush.testsupport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a {@code ByteBuf} that was garbage
 * collected without being released. Registered for every test class through the service loader
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}); it checks only when the detector
 * runs at {@code paranoid} (every module's integration tests set {@code
 * io.netty.leakDetection.level=paranoid}, in the parent POM's Failsafe configuration), so that
 * every buffer is tracked and a leak is found deterministically rather than by sampling.
 *
 * <p>Netty reports a leak only when the leaked buffer has been collected and the detector polls its
 * reference queue, which it does when a new tracked buffer is allocated. After each test class this
 * extension therefore asks for a collection and allocates a few buffers, then fails with every
 * report collected since the previous check. A leak found late (collected during a later class) is
 * reported on that later class; the report's records name where the buffer came from.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();
  private static final int ROUNDS = 5;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (INSTALLED.compareAndSet(false, true)) {
      ByteBufUtil.setLeakListener(
          (resourceType, records) -> LEAKS.add(resourceType + " leaked:" + records));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      return;
    }
    for (int i = 0; i < ROUNDS; i++) {
      System.gc();
      Thread.sleep(50);
      ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(1);
      probe.release();
    }
    List<String> found = new ArrayList<>();
    for (String leak; (leak = LEAKS.poll()) != null; ) {
      found.add(leak);
    }
    if (!found.isEmpty()) {
      throw new AssertionError(
          found.size()
              + " Netty buffer leak(s) reported by the end of "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n\n", found));
    }
  }
}
