package dev.inboxpush.benchmark.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JfrSummaryTests {

  @Test
  void framesCountForTheirLibrary() {
    assertThat(JfrSummary.group("software.amazon.awssdk.core.internal.Foo")).isEqualTo("AWS SDK");
    assertThat(JfrSummary.group("io.netty.channel.nio.NioEventLoop")).isEqualTo("Netty");
    assertThat(JfrSummary.group("dev.inboxpush.listener.ews.Parser"))
        .isEqualTo("inbox-push (ours)");
    assertThat(JfrSummary.group("java.util.HashMap")).isEqualTo("JDK");
    assertThat(JfrSummary.group("org.example.thing.Other")).isEqualTo("org.example.*");
  }
}
