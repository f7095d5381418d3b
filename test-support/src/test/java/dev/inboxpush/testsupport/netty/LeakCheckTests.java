package dev.inboxpush.testsupport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The check can fail: a buffer never released fails the class, once. */
class LeakCheckTests {

  private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

  @AfterEach
  void restoreLevel() {
    ResourceLeakDetector.setLevel(before);
  }

  /** An extension context that knows only its display name, which is all the check asks. */
  private static ExtensionContext context(String name) {
    return (ExtensionContext)
        Proxy.newProxyInstance(
            ExtensionContext.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getDisplayName")) {
                return name;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void aBufferNeverReleasedFailsTheClassAndIsThenForgotten() throws InterruptedException {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    LeakCheck check = new LeakCheck();
    ExtensionContext context = context("SomeIT");
    check.beforeAll(context);
    try {
      check.afterAll(context); // forget whatever came before this test
    } catch (AssertionError earlier) {
      // not this test's leak
    }

    leakOne();
    AssertionError failure = null;
    // The collector decides when the buffer is gone; give it a few chances.
    for (int attempt = 0; attempt < 10 && failure == null; attempt++) {
      try {
        check.afterAll(context);
      } catch (AssertionError e) {
        failure = e;
      }
    }

    assertThat(failure)
        .isNotNull()
        .hasMessageContaining("Netty buffer leak")
        .hasMessageContaining("SomeIT");
    assertThatCode(() -> check.afterAll(context)).doesNotThrowAnyException();
  }

  @Test
  void releasedBuffersPass() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    LeakCheck check = new LeakCheck();
    ExtensionContext context = context("CleanIT");
    check.beforeAll(context);
    try {
      check.afterAll(context);
    } catch (AssertionError | InterruptedException earlier) {
      // not this test's
    }

    for (int i = 0; i < 100; i++) {
      ByteBufAllocator.DEFAULT.buffer(16).writeInt(i).release();
    }

    assertThatCode(() -> check.afterAll(context)).doesNotThrowAnyException();
  }

  private static void leakOne() {
    ByteBufAllocator.DEFAULT.buffer(16).writeInt(42); // dropped without release
  }
}
