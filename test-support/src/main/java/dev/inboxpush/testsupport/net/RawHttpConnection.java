package dev.inboxpush.testsupport.net;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 connection to 127.0.0.1 driven byte by byte, for what no HTTP client lets a test do:
 * several requests in one write (pipelining), the next request the instant the last answer ends, a
 * request body sent after a pause. Clients reuse connections this way (Exchange's pushes, mobile
 * apps behind carrier proxies), and a server that stops reading such a connection leaves its next
 * request unanswered with nothing logged, which is what these tests catch.
 *
 * <p>Lifecycle: {@link #open} connects; {@link #close()} closes the socket. Not thread-safe: one
 * test thread drives it. Failure: I/O errors are {@link UncheckedIOException}; an answer not
 * complete within the read timeout is an {@link AssertionError} naming how much arrived.
 */
public final class RawHttpConnection implements AutoCloseable {

  /** One answer: its status, its headers (names lower-cased) and its body. */
  public record Answer(int status, List<String> headerLines, String body) {

    /** The first value of {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return headerLines.stream()
          .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(line -> line.substring(prefix.length()).trim())
          .findFirst();
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final Duration readTimeout;

  private RawHttpConnection(Socket socket, Duration readTimeout) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.readTimeout = readTimeout;
  }

  /**
   * Connects to {@code 127.0.0.1:port}.
   *
   * @param readTimeout how long one answer may take to arrive in full
   */
  public static RawHttpConnection open(int port, Duration readTimeout) {
    try {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) readTimeout.toMillis());
      return new RawHttpConnection(socket, readTimeout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A request's bytes: the request line, a {@code Host} header, {@code headers} ({@code "Name:
   * value"}), a {@code Content-Length} when there is a body, and the body.
   */
  public static String request(String method, String path, List<String> headers, String body) {
    StringBuilder request = new StringBuilder();
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    request.append("Host: 127.0.0.1\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    if (!body.isEmpty()) {
      request
          .append("Content-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n");
    }
    return request.append("\r\n").append(body).toString();
  }

  /** Writes {@code bytes} (one or more requests, or part of one) in one write and flushes. */
  public void write(String bytes) {
    try {
      socket.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one request and reads its answer. */
  public Answer exchange(String request) {
    write(request);
    return read();
  }

  /**
   * Reads the next complete answer (a {@code Content-Length} or chunked body, or none for a status
   * that has none). Interim {@code 1xx} answers are skipped.
   */
  public Answer read() {
    try {
      while (true) {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
          throw new AssertionError("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        List<String> headers = new ArrayList<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
          headers.add(line);
        }
        if (status < 200) {
          continue;
        }
        Answer headOnly = new Answer(status, List.copyOf(headers), "");
        String body;
        if (status == 204 || status == 304) {
          body = "";
        } else if (headOnly
            .header("transfer-encoding")
            .map(value -> value.toLowerCase(Locale.ROOT).contains("chunked"))
            .orElse(false)) {
          body = chunked();
        } else {
          body = fixed(headOnly.header("content-length").map(Integer::parseInt).orElse(0));
        }
        return new Answer(status, List.copyOf(headers), body);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no complete answer within " + readTimeout + ": the server stopped answering", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server has closed the connection (end of stream within {@code wait}). */
  public boolean closedByServer(Duration wait) {
    try {
      socket.setSoTimeout((int) wait.toMillis());
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } finally {
      try {
        socket.setSoTimeout((int) readTimeout.toMillis());
      } catch (IOException ignored) {
        // closed: nothing to restore
      }
    }
  }

  /**
   * Reads until the server closes the connection, for at most {@code wait}: what it sent before
   * closing (perhaps an answer such as a 408, perhaps nothing), or empty when the connection is
   * still open after {@code wait}.
   */
  public Optional<String> untilClosed(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return Optional.empty();
        }
        socket.setSoTimeout((int) Math.max(1, left));
        int next = in.read();
        if (next == -1) {
          return Optional.of(received.toString(StandardCharsets.UTF_8));
        }
        received.write(next);
      }
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Reset by the server: closed too.
      return Optional.of(received.toString(StandardCharsets.UTF_8));
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int next = in.read();
      if (next == -1) {
        throw new AssertionError(
            "the server closed the connection mid-answer after: "
                + line.toString(StandardCharsets.UTF_8));
      }
      if (previous == '\r' && next == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(next);
      previous = next;
    }
  }

  private String fixed(int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new AssertionError("the body ended after " + body.length + " of " + length + " bytes");
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private String chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semicolon = size.indexOf(';');
      int length =
          Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (length == 0) {
        while (!line().isEmpty()) {
          // trailers: none expected, skipped
        }
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(length));
      line();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
