package dev.inboxpush.testsupport.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 for tests: it answers {@code CONNECT host:port} with
 * {@code 200} and then copies bytes both ways, so TLS runs end to end through it, as through an
 * enterprise egress proxy. Anything but CONNECT gets {@code 405}. Targets can be rerouted (a test
 * has no DNS for {@code fcm.googleapis.com}); every tunnel's requested target is recorded.
 *
 * <p>Lifecycle: {@link #start} listens on a free port with a daemon thread per connection; {@link
 * #close()} stops listening (open tunnels end with their peers). Thread-safe.
 */
public final class ConnectProxy implements AutoCloseable {

  private final ServerSocket server;
  private final Map<String, InetSocketAddress> reroutes;
  private final Queue<String> tunnels = new ConcurrentLinkedQueue<>();

  private ConnectProxy(ServerSocket server, Map<String, InetSocketAddress> reroutes) {
    this.server = server;
    this.reroutes = Map.copyOf(reroutes);
  }

  /**
   * Starts a proxy.
   *
   * @param reroutes targets ({@code host:port} as the client asks) to connect elsewhere instead
   */
  public static ConnectProxy start(Map<String, InetSocketAddress> reroutes) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      ConnectProxy proxy = new ConnectProxy(server, reroutes);
      daemon("connect-proxy-accept", proxy::accept);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The {@code host:port} of every CONNECT, in order. */
  public List<String> tunnels() {
    return List.copyOf(tunnels);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        daemon("connect-proxy-tunnel", () -> tunnel(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void tunnel(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      String[] requestLine = head.split("\r\n", 2)[0].split(" ");
      if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
        out.write(
            "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      String target = requestLine[1];
      tunnels.add(target);
      InetSocketAddress address = reroutes.get(target);
      if (address == null) {
        int colon = target.lastIndexOf(':');
        address =
            new InetSocketAddress(
                target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
      }
      try (Socket upstream = new Socket()) {
        upstream.connect(address, 5_000);
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread back = daemon("connect-proxy-back", () -> copy(upstream, client));
        copy(client, upstream);
        back.join(10_000);
      }
    } catch (IOException | RuntimeException e) {
      // a tunnel that fails ends; the client sees its connection close
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length && head.size() < 8192) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the client closed before its request ended");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException ended) {
      // one side closed: the tunnel is over
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
