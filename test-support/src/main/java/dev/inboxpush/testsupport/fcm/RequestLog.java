package dev.inboxpush.testsupport.fcm;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrived at the send endpoint: every judged request with its answer, in the order they were
 * answered (the last {@code capacity} of them), and the counters a test reads (received, accepted,
 * rejected by code, in flight and the most in flight at once). Token requests are not recorded
 * here.
 *
 * <p>Lifecycle: {@link #arrived()} when a request comes in, {@link #record} once it is judged,
 * {@link #finished()} as its answer starts to be written (or the exchange fails); a request the
 * fake could not judge (a bug in the fake) is counted as received and in flight but never recorded.
 *
 * <p>Thread-safe: the event loop writes while tests read; {@link #awaitRequests} blocks the calling
 * test thread only, woken by each {@link #record}. Counters are independent atomics, so a snapshot
 * of several taken while requests are in flight need not be consistent.
 */
final class RequestLog {

  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

  private final ConcurrentLinkedQueue<FcmRequest> requests = new ConcurrentLinkedQueue<>();
  private final int capacity;
  private final @Nullable Consumer<FcmRequest> listener;
  // ConcurrentLinkedQueue.size() walks the queue; the bound is kept by this count instead.
  private int kept;
  private final Object recorded = new Object();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Map<String, AtomicInteger> rejected = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  /** A log of every request, without a listener. */
  RequestLog() {
    this(Integer.MAX_VALUE, null);
  }

  /** A log keeping the last {@code capacity} requests, telling {@code listener} of each. */
  RequestLog(int capacity, @Nullable Consumer<FcmRequest> listener) {
    this.capacity = capacity;
    this.listener = listener;
  }

  /** Counts a request on arrival, before it is judged. */
  void arrived() {
    received.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
  }

  /** Counts {@code request}'s answer and records it, waking {@link #awaitRequests}. */
  void record(FcmRequest request) {
    String code = request.errorCode();
    if (code == null) {
      accepted.incrementAndGet();
    } else {
      rejected.computeIfAbsent(code, key -> new AtomicInteger()).incrementAndGet();
    }
    Consumer<FcmRequest> current = listener;
    if (current != null) {
      try {
        current.accept(request);
      } catch (RuntimeException e) {
        log.error("the fake FCM server's request listener failed", e);
      }
    }
    synchronized (recorded) {
      if (capacity > 0) {
        requests.add(request);
        kept++;
      }
      while (kept > capacity) {
        requests.poll();
        kept--;
      }
      recorded.notifyAll();
    }
  }

  /**
   * The answer to a request that {@link #arrived()} is about to be written (before its bytes can
   * reach the client, whose next request must not be counted beside it), or the exchange ended.
   */
  void finished() {
    inFlight.decrementAndGet();
  }

  List<FcmRequest> requests() {
    return List.copyOf(requests);
  }

  List<FcmRequest> requestsFor(String token) {
    return requests.stream().filter(request -> token.equals(request.token())).toList();
  }

  /**
   * Blocks until at least {@code count} requests are recorded.
   *
   * @throws AssertionError after {@code timeout}, naming what did arrive, or when interrupted
   */
  List<FcmRequest> awaitRequests(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (recorded) {
      while (requests.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected at least "
                  + count
                  + " FCM requests within "
                  + timeout
                  + ", got "
                  + requests.size()
                  + ": "
                  + requests);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(recorded, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for FCM requests", e);
        }
      }
      return requests();
    }
  }

  int received() {
    return received.get();
  }

  int accepted() {
    return accepted.get();
  }

  Map<String, Integer> rejections() {
    Map<String, Integer> snapshot = new TreeMap<>();
    rejected.forEach((code, count) -> snapshot.put(code, count.get()));
    return Collections.unmodifiableMap(snapshot);
  }

  int rejected(String codeOrStatus) {
    AtomicInteger count = rejected.get(codeOrStatus);
    return count == null ? 0 : count.get();
  }

  int inFlight() {
    return inFlight.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  /** Zeroes the counters; requests now in flight still count towards the new maximum. */
  void resetCounters() {
    received.set(0);
    accepted.set(0);
    rejected.clear();
    maxInFlight.set(inFlight.get());
  }

  /** Forgets the recorded requests and zeroes the counters. */
  void clear() {
    synchronized (recorded) {
      requests.clear();
      kept = 0;
    }
    resetCounters();
  }
}
