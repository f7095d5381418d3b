package dev.inboxpush.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The TCP sockets listening on this machine, read from Linux's {@code /proc/net/tcp} and {@code
 * /proc/net/tcp6}: which address each port is bound to, without sending anything anywhere.
 */
final class ListeningSockets {

  /** One listening socket. */
  record Listening(InetAddress address, int port) {}

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** Asserts that every port of every part listens, and only on a loopback address. */
  static void assertLoopbackOnly(List<LocalStack.Part> parts) throws IOException {
    List<Listening> all = read();
    for (LocalStack.Part part : parts) {
      for (int port : part.ports()) {
        List<Listening> onPort = all.stream().filter(l -> l.port() == port).toList();
        assertThat(onPort).as("%s listens on %d", part.name(), port).isNotEmpty();
        assertThat(onPort)
            .as("%s on %d binds only 127.0.0.1", part.name(), port)
            .allMatch(l -> l.address().isLoopbackAddress());
      }
    }
  }

  static List<Listening> read() throws IOException {
    List<Listening> sockets = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (!fields[3].equals(LISTEN)) {
          continue;
        }
        String[] local = fields[1].split(":");
        sockets.add(new Listening(address(local[0]), Integer.parseInt(local[1], 16)));
      }
    }
    assertThat(sockets).as("listening sockets in /proc/net/tcp{,6}").isNotEmpty();
    return sockets;
  }

  /** The kernel writes each 32-bit word of the address in host (little-endian) order. */
  private static InetAddress address(String hex) throws UnknownHostException {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] bytes = new byte[raw.length];
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        bytes[word + i] = raw[word + 3 - i];
      }
    }
    // A 16-byte IPv4-mapped address comes back as the Inet4Address it maps.
    return InetAddress.getByAddress(bytes);
  }
}
