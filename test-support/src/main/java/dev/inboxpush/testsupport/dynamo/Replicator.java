package dev.inboxpush.testsupport.dynamo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * A Global Table's replication, played between tables of the same name on separate engines
 * (dynalite instances standing in for regions): every write made in one replica appears in the
 * others after a lag, as DynamoDB replicates asynchronously, and concurrent writes to one item are
 * resolved per whole item, last writer wins, as DynamoDB resolves them. Test code: in production
 * DynamoDB replicates.
 *
 * <p>How: every {@code poll} one thread scans each replica and compares it with what it saw there
 * last. An item that changed (or vanished) other than by this replicator is a write made in that
 * replica, stamped with the time it was first seen; it is applied to every other replica once
 * {@code lag} has passed, unless that replica has since seen a newer write of the same item (which
 * then wins everywhere). So writes are stamped to within {@code poll} of when they happened, and
 * two writes to one item within one poll in one replica replicate as one, which DynamoDB may also
 * do. {@link #lag(Duration)} changes the lag for writes seen from then on; {@link #pause()} holds
 * every write back (a region cut off) until {@link #resume()}.
 *
 * <p>Lifecycle: {@link #start} begins at once; {@link #close()} stops the thread (writes not yet
 * applied are dropped). Thread-safe: the one thread does the work; the controls are volatile or
 * atomic. Failure: a replica that cannot be scanned or written (a stopped engine) is skipped for
 * that round and logged; its writes replicate once it answers again.
 */
public final class Replicator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

  /** An item's key: its partition and sort key values. */
  private record Key(AttributeValue pk, AttributeValue sk) {}

  /** A write seen in replica {@code from}: the item, or null for a deletion. */
  private record Write(
      int from,
      Key key,
      @Nullable Map<String, AttributeValue> item,
      long seenAtNanos,
      long dueAt) {}

  private final String table;
  private final String pk;
  private final String sk;
  private final List<DynamoDbAsyncClient> replicas;
  private final Duration poll;
  private final ScheduledExecutorService thread;
  private final AtomicLong replicated = new AtomicLong();
  private volatile Duration lag;
  private volatile boolean paused;

  /** Per replica: each item as last seen there (by a scan or as this replicator wrote it). */
  private final List<Map<Key, Map<String, AttributeValue>>> seen = new ArrayList<>();

  /** Per replica: when its newest write of each item was made (nanoTime stamps). */
  private final List<Map<Key, Long>> writtenAt = new ArrayList<>();

  /** Writes seen and not yet applied everywhere (touched on the replicator's thread only). */
  private final List<Write> inFlight = new ArrayList<>();

  private Replicator(
      String table,
      String pk,
      String sk,
      List<DynamoDbAsyncClient> replicas,
      Duration lag,
      Duration poll) {
    this.table = table;
    this.pk = pk;
    this.sk = sk;
    this.replicas = List.copyOf(replicas);
    this.lag = lag;
    this.poll = poll;
    for (int i = 0; i < replicas.size(); i++) {
      seen.add(new HashMap<>());
      writtenAt.add(new HashMap<>());
    }
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "replicator-" + table);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Replicates {@code table} (key attributes {@code pk}, {@code sk}) between {@code replicas}, one
   * client per engine, after {@code lag}, scanning every {@code poll}.
   */
  public static Replicator start(
      String table,
      String pk,
      String sk,
      List<DynamoDbAsyncClient> replicas,
      Duration lag,
      Duration poll) {
    if (replicas.size() < 2) {
      throw new IllegalArgumentException("replication needs two replicas at least");
    }
    Replicator replicator = new Replicator(table, pk, sk, replicas, lag, poll);
    replicator.thread.scheduleWithFixedDelay(
        replicator::round, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    return replicator;
  }

  /** The lag for writes seen from now on. */
  public void lag(Duration lag) {
    this.lag = lag;
  }

  /** Holds every write back, however old, until {@link #resume()}. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  /** Writes applied to a replica so far. */
  public long replicated() {
    return replicated.get();
  }

  /**
   * Waits until every write seen so far has been applied everywhere and a further round found
   * nothing new.
   */
  public void awaitQuiet(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (submit(this::nothingInFlightOrNew)) {
        return;
      }
      sleep(poll.toMillis());
    }
    throw new AssertionError("replication did not settle within " + within);
  }

  private boolean submit(java.util.concurrent.Callable<Boolean> task) {
    try {
      return thread.submit(task).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void round() {
    try {
      detect();
      apply();
    } catch (RuntimeException e) {
      log.warn("replication round failed: {}", e.toString());
    }
  }

  /** Nothing waits to be applied, and a scan now finds no write it has not seen. */
  private boolean nothingInFlightOrNew() {
    if (!inFlight.isEmpty()) {
      return false;
    }
    detect();
    return inFlight.isEmpty();
  }

  /** Scans every replica; what differs from what was seen there is a write of that replica. */
  private void detect() {
    long now = System.nanoTime();
    for (int i = 0; i < replicas.size(); i++) {
      Map<Key, Map<String, AttributeValue>> current = scan(i);
      if (current == null) {
        continue;
      }
      Map<Key, Map<String, AttributeValue>> last = seen.get(i);
      for (Map.Entry<Key, Map<String, AttributeValue>> entry : current.entrySet()) {
        if (!Objects.equals(last.get(entry.getKey()), entry.getValue())) {
          written(i, entry.getKey(), entry.getValue(), now);
        }
      }
      for (Key key : List.copyOf(last.keySet())) {
        if (!current.containsKey(key)) {
          written(i, key, null, now);
        }
      }
      seen.set(i, current);
    }
  }

  private void written(int from, Key key, @Nullable Map<String, AttributeValue> item, long now) {
    writtenAt.get(from).put(key, now);
    Write write = new Write(from, key, item, now, now + lag.toNanos());
    inFlight.add(write);
  }

  /** Applies the writes that are due, last writer wins per item and replica. */
  private void apply() {
    if (paused) {
      return;
    }
    long now = System.nanoTime();
    List<Write> due = new ArrayList<>();
    inFlight.removeIf(
        write -> {
          if (write.dueAt() <= now) {
            due.add(write);
            return true;
          }
          return false;
        });
    for (Write write : due) {
      for (int to = 0; to < replicas.size(); to++) {
        if (to == write.from()) {
          continue;
        }
        Long newest = writtenAt.get(to).get(write.key());
        if (newest != null && newest > write.seenAtNanos()) {
          continue; // a newer write of this item was made there: it wins, and replicates back
        }
        if (put(to, write)) {
          writtenAt.get(to).put(write.key(), write.seenAtNanos());
          Map<Key, Map<String, AttributeValue>> there = seen.get(to);
          if (write.item() == null) {
            there.remove(write.key());
          } else {
            there.put(write.key(), write.item());
          }
          replicated.incrementAndGet();
        } else {
          // Unreachable now: try again next round.
          inFlight.add(write);
        }
      }
    }
  }

  private boolean put(int to, Write write) {
    DynamoDbAsyncClient client = replicas.get(to);
    try {
      if (write.item() == null) {
        client
            .deleteItem(
                d -> d.tableName(table).key(Map.of(pk, write.key().pk(), sk, write.key().sk())))
            .join();
      } else {
        client.putItem(p -> p.tableName(table).item(write.item())).join();
      }
      return true;
    } catch (CompletionException e) {
      log.warn("replica {} did not take a write: {}", to, e.getCause().toString());
      return false;
    }
  }

  private @Nullable Map<Key, Map<String, AttributeValue>> scan(int replica) {
    Map<Key, Map<String, AttributeValue>> items = new HashMap<>();
    Map<String, AttributeValue> start = null;
    try {
      do {
        ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true);
        if (start != null) {
          request.exclusiveStartKey(start);
        }
        ScanResponse page = replicas.get(replica).scan(request.build()).join();
        for (Map<String, AttributeValue> item : page.items()) {
          items.put(new Key(item.get(pk), item.get(sk)), item);
        }
        start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      } while (start != null && !start.isEmpty());
      return items;
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof ResourceNotFoundException)) {
        log.warn("replica {} could not be scanned: {}", replica, e.getCause().toString());
      }
      return null;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
