package dev.inboxpush.simulator.check;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every push the local APNs and FCM receive from {@link #start} on, read from the push inspector's
 * {@code GET /api/pushes?after=N} every {@link #INTERVAL}. The inspector keeps only its last pushes
 * (1,000 by default): pushes that fell out of it between two reads are counted as {@link
 * #missed()}, and a restart of the push server (another {@code instance}) is recorded, so that a
 * check never passes on pushes it did not see.
 *
 * <p>Lifecycle: {@link #start} reads the current sequence (earlier pushes are not this run's), then
 * polls on the given timer until {@link #stop}, which reads once more. Thread-safe.
 */
public final class PushFeed {

  /** How often the inspector is read. */
  public static final Duration INTERVAL = Duration.ofMillis(200);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http;
  private final URI inspector;
  private final List<ReceivedPush> pushes = new ArrayList<>();
  private @Nullable String instance;
  private long last;
  private long missed;
  private boolean restarted;
  private @Nullable String error;
  private @Nullable ScheduledFuture<?> polling;

  /**
   * @param inspector the push inspector's base URL, e.g. {@code http://127.0.0.1:8090}
   */
  public PushFeed(HttpClient http, URI inspector) {
    this.http = http;
    this.inspector = inspector;
  }

  /**
   * Takes the inspector's current sequence as the start and polls from then on.
   *
   * @throws IllegalStateException when the inspector does not answer
   */
  public synchronized void start(ScheduledExecutorService timer) {
    JsonNode first = read(0);
    instance = first.path("instance").asString("");
    last = first.path("lastSequence").asLong();
    polling =
        timer.scheduleWithFixedDelay(
            this::poll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops polling after one last read. */
  public void stop() {
    ScheduledFuture<?> running;
    synchronized (this) {
      running = polling;
    }
    if (running != null) {
      running.cancel(false);
    }
    poll();
  }

  /** A read now, then a copy of every push seen, in arrival order. */
  public List<ReceivedPush> pushes() {
    poll();
    synchronized (this) {
      return List.copyOf(pushes);
    }
  }

  /** Pushes that arrived but fell out of the inspector's window before they were read. */
  public synchronized long missed() {
    return missed;
  }

  /** Whether the push server restarted during the run (its log starts again empty). */
  public synchronized boolean restarted() {
    return restarted;
  }

  /** The last failure to read the inspector, or null. */
  public synchronized @Nullable String error() {
    return error;
  }

  private void poll() {
    long after;
    synchronized (this) {
      after = last;
    }
    JsonNode page;
    try {
      page = read(after);
    } catch (RuntimeException e) {
      synchronized (this) {
        error = e.getMessage();
      }
      return;
    }
    synchronized (this) {
      if (last != after) {
        return; // another read got there first
      }
      error = null;
      String seen = page.path("instance").asString("");
      if (instance != null && !instance.equals(seen)) {
        restarted = true;
        instance = seen;
        last = 0;
        return;
      }
      List<ReceivedPush> page2 = new ArrayList<>();
      for (JsonNode row : page.path("pushes")) {
        JsonNode badge = row.path("badge");
        JsonNode kind = row.path("kind");
        page2.add(
            new ReceivedPush(
                row.path("sequence").asLong(),
                row.path("platform").asString(""),
                row.path("token").asString(""),
                badge.isNumber() ? Integer.valueOf(badge.asInt()) : null,
                kind.isString() ? kind.asString() : null,
                row.path("accepted").asBoolean()));
      }
      // Newest first: reverse into arrival order.
      java.util.Collections.reverse(page2);
      long lastSequence = page.path("lastSequence").asLong();
      long oldest = page2.isEmpty() ? lastSequence + 1 : page2.get(0).sequence();
      if (oldest > after + 1) {
        missed += oldest - after - 1;
      }
      pushes.addAll(page2);
      last = Math.max(last, lastSequence);
    }
  }

  private JsonNode read(long after) {
    URI uri = inspector.resolve(after == 0 ? "/api/pushes" : "/api/pushes?after=" + after);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "the push inspector " + inspector + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the push inspector " + inspector + " does not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
