package dev.inboxpush.local.push;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What arrived at the local APNs and the fake FCM, in memory: the last {@link #capacity()} pushes
 * and the devices they went to (at most {@link #MAX_DEVICES}; beyond, the device with the oldest
 * activity is forgotten by the inspector, while its server still remembers a dead token).
 *
 * <p>Threading: {@link #record} is called on the servers' event loops and must not block for long:
 * every method takes one short lock; readers get copies. Lost on restart, by design: the kept files
 * are keys, not traffic.
 */
public final class PushLog {

  /** How many pushes are kept when no capacity is given. */
  public static final int DEFAULT_CAPACITY = 1000;

  /** How many devices the inspector lists at most. */
  public static final int MAX_DEVICES = 10_000;

  private final int capacity;
  private final Clock clock;
  private final Deque<Push> pushes = new ArrayDeque<>();
  // Insertion order is activity order: a device is moved to the end on each push.
  private final Map<String, Device> devices = new LinkedHashMap<>();
  private long sequence;

  /** A log of the last {@value #DEFAULT_CAPACITY} pushes on the system clock. */
  public PushLog() {
    this(DEFAULT_CAPACITY, Clock.systemUTC());
  }

  /** A log of the last {@code capacity} pushes, stamped by {@code clock}. */
  public PushLog(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  /** How many pushes are kept. */
  public int capacity() {
    return capacity;
  }

  /** Records a push that just arrived, and its device; returns the row. */
  public Push record(
      String platform,
      @Nullable String token,
      @Nullable String app,
      @Nullable Integer badge,
      @Nullable String kind,
      @Nullable String priority,
      @Nullable String pushType,
      @Nullable String collapseId,
      int status,
      @Nullable String rejection) {
    Instant now = clock.instant();
    synchronized (this) {
      Push push =
          new Push(
              ++sequence,
              now,
              platform,
              token,
              Push.shorten(token),
              app,
              badge,
              kind,
              priority,
              pushType,
              collapseId,
              status,
              rejection);
      pushes.addFirst(push);
      if (pushes.size() > capacity) {
        pushes.removeLast();
      }
      if (token != null) {
        Device known = devices.remove(key(platform, token));
        devices.put(
            key(platform, token),
            new Device(
                platform,
                token,
                push.shortToken(),
                known == null ? 1 : known.pushes() + 1,
                now,
                known == null ? null : known.deadSince()));
        trimDevices();
      }
      return push;
    }
  }

  /**
   * Marks {@code token} of {@code platform} dead since {@code since} (the inspector's view; the
   * servers are told by the caller), keeping the earlier time when it already was.
   */
  public synchronized Device markDead(String platform, String token, Instant since) {
    Device known = devices.remove(key(platform, token));
    Device dead =
        known == null
            ? new Device(platform, token, Push.shorten(token), 0, null, since)
            : new Device(
                platform,
                token,
                known.shortToken(),
                known.pushes(),
                known.lastPush(),
                known.deadSince() == null ? since : known.deadSince());
    devices.put(key(platform, token), dead);
    trimDevices();
    return dead;
  }

  /** The pushes kept, newest first. */
  public synchronized List<Push> pushes() {
    return List.copyOf(pushes);
  }

  /** The pushes kept whose {@link Push#sequence()} is above {@code sequence}, newest first. */
  public synchronized List<Push> pushesAfter(long sequence) {
    List<Push> newer = new ArrayList<>();
    for (Push push : pushes) {
      if (push.sequence() <= sequence) {
        break;
      }
      newer.add(push);
    }
    return newer;
  }

  /**
   * The pushes above {@code sequence} (all for 0), newest first, and the last sequence number
   * given, read together: a reader that asks next for what came after {@link
   * Snapshot#lastSequence()} misses nothing.
   */
  public synchronized Snapshot snapshot(long sequence) {
    return new Snapshot(sequence == 0 ? pushes() : pushesAfter(sequence), this.sequence);
  }

  /**
   * Pushes and the sequence they were read at.
   *
   * @param pushes newest first
   * @param lastSequence the last sequence number given when they were read
   */
  public record Snapshot(List<Push> pushes, long lastSequence) {}

  /** The last sequence number given, 0 before the first push. */
  public synchronized long lastSequence() {
    return sequence;
  }

  /** The devices, the most recently pushed to or marked first. */
  public synchronized List<Device> devices() {
    List<Device> all = new ArrayList<>(devices.values());
    java.util.Collections.reverse(all);
    return all;
  }

  /** The device of {@code platform} with {@code token}, if known. */
  public synchronized @Nullable Device device(String platform, String token) {
    return devices.get(key(platform, token));
  }

  private void trimDevices() {
    Iterator<Device> oldest = devices.values().iterator();
    while (devices.size() > MAX_DEVICES && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  private static String key(String platform, String token) {
    return platform + " " + token;
  }
}
