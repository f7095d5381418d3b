package dev.inboxpush.testsupport.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

class DynaliteTests {

  @Test
  void movesToAnotherPortWhenTheChosenOneIsTaken() throws IOException {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Deque<Integer> candidates = new ArrayDeque<>();
      candidates.add(taken.getLocalPort());
      candidates.add(free);

      try (Dynalite dynalite = Dynalite.start(candidates::removeFirst)) {
        assertThat(dynalite.port()).isEqualTo(free);
        assertThat(candidates).isEmpty();
        try (DynamoDbAsyncClient client = dynalite.newClient()) {
          assertThat(client.listTables().join().tableNames()).isEmpty();
        }
      }
    }
  }

  @Test
  void restartsOnTheSamePortAndStopsForGood() {
    Dynalite dynalite = Dynalite.start();
    try {
      int port = dynalite.port();
      dynalite.stop();
      assertThat(dynalite.isRunning()).isFalse();

      dynalite.restart();

      assertThat(dynalite.isRunning()).isTrue();
      assertThat(dynalite.port()).isEqualTo(port);
      assertThat(dynalite.sharedClient().listTables().join().tableNames()).isEmpty();
    } finally {
      dynalite.close();
    }
    assertThat(dynalite.isRunning()).isFalse();
  }
}
