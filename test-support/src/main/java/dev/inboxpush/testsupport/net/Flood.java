package dev.inboxpush.testsupport.net;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Load for overload tests: requests held in flight on raw connections, a flood of whole requests
 * from many threads with each answer's status, {@code Retry-After} and time, and the heap after a
 * collection. Sends to 127.0.0.1 only.
 *
 * <p>Lifecycle: static methods; the held connections are the caller's to close. Thread-safe. A
 * request that fails at the transport (reset, refused) is counted under status {@code -1}, never
 * thrown, so that a flood always reports in full.
 */
public final class Flood {

  private Flood() {}

  /**
   * Opens {@code count} connections, each sending {@code head} (a request line and headers that
   * announce a body with {@code Content-Length}) and {@code partialBody}, then nothing more: each
   * is a request the server has started and cannot finish until the test writes the rest or closes.
   */
  public static List<RawHttpConnection> hold(
      int port, int count, String head, String partialBody, Duration readTimeout) {
    List<RawHttpConnection> held = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RawHttpConnection connection = RawHttpConnection.open(port, readTimeout);
      connection.write(head + partialBody);
      held.add(connection);
    }
    return held;
  }

  /** What a flood was answered: counts by status, {@code Retry-After} values, sorted times. */
  public record Result(
      Map<Integer, Integer> statuses, Map<String, Integer> retryAfter, List<Duration> times) {

    public Duration median() {
      return times.get(times.size() / 2);
    }

    public Duration p99() {
      return times.get(Math.min(times.size() - 1, (int) Math.ceil(times.size() * 0.99) - 1));
    }

    public Duration max() {
      return times.get(times.size() - 1);
    }

    /** One line for the test's output. */
    public String summary() {
      return String.format(
          "%d requests: statuses %s, Retry-After %s; answer time median %.1f ms, p99 %.1f ms,"
              + " max %.1f ms",
          times.size(),
          statuses,
          retryAfter,
          median().toNanos() / 1e6,
          p99().toNanos() / 1e6,
          max().toNanos() / 1e6);
    }
  }

  /**
   * Sends {@code requests} requests from {@code threads} threads at once (each thread its own
   * client and connection), the {@code i}-th built by {@code request}, and waits for every answer.
   */
  public static Result send(int requests, int threads, IntFunction<HttpRequest> request) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Object[]>>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(
            pool.submit(
                () -> {
                  HttpClient client =
                      HttpClient.newBuilder()
                          .version(HttpClient.Version.HTTP_1_1)
                          .connectTimeout(Duration.ofSeconds(5))
                          .build();
                  List<Object[]> answers = new ArrayList<>();
                  for (int i = first; i < requests; i += threads) {
                    long start = System.nanoTime();
                    int status;
                    String retry = "";
                    try {
                      HttpResponse<Void> response =
                          client.send(request.apply(i), HttpResponse.BodyHandlers.discarding());
                      status = response.statusCode();
                      retry = response.headers().firstValue("Retry-After").orElse("");
                    } catch (java.io.IOException e) {
                      status = -1;
                    }
                    answers.add(new Object[] {status, retry, System.nanoTime() - start});
                  }
                  return answers;
                }));
      }
      Map<Integer, Integer> statuses = new TreeMap<>();
      Map<String, Integer> retryAfter = new TreeMap<>();
      List<Duration> times = new ArrayList<>();
      for (Future<List<Object[]>> part : parts) {
        for (Object[] answer : part.get()) {
          statuses.merge((Integer) answer[0], 1, Integer::sum);
          retryAfter.merge((String) answer[1], 1, Integer::sum);
          times.add(Duration.ofNanos((Long) answer[2]));
        }
      }
      Collections.sort(times);
      return new Result(statuses, retryAfter, times);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException u ? u : new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A POST of {@code body} to {@code uri} with the given headers ({@code name, value, ...}). */
  public static HttpRequest post(URI uri, byte[] body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder.build();
  }

  /** Heap in use after a full collection, in bytes (this process: for in-process servers). */
  public static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
