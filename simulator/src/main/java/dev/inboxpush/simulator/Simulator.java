package dev.inboxpush.simulator;

import dev.inboxpush.simulator.check.BadgeCheck;
import dev.inboxpush.simulator.check.DeviceExpectation;
import dev.inboxpush.simulator.check.PushFeed;
import dev.inboxpush.simulator.check.ReceivedPush;
import dev.inboxpush.simulator.exchange.Mailbox;
import dev.inboxpush.simulator.exchange.Post;
import dev.inboxpush.simulator.exchange.Poster;
import dev.inboxpush.simulator.exchange.RetrySchedule;
import dev.inboxpush.simulator.exchange.Route;
import dev.inboxpush.simulator.exchange.Tally;
import dev.inboxpush.simulator.registration.AppSignIn;
import dev.inboxpush.simulator.registration.RegistrationClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link Scenario} against {@link Targets} and reports: many devices and the Exchange
 * servers of their accounts.
 *
 * <ol>
 *   <li>Signs users in at the authorization server as the app does (PKCE; each account of a device
 *       is another user), registers every account's device token and binds its subscription, with
 *       the scenario's StatusFrequency, through the registration API.
 *   <li>Traffic: each device is a lane that sends one POST at a time for its accounts, to the
 *       callback URL the API returned (so the expected sum over a device's accounts is exact):
 *       mailbox changes at random ({@link Mailbox}), a heartbeat for an account without events for
 *       StatusFrequency, the error form for some subscriptions (the app then binds a new one), and
 *       for some devices the token made dead at the push server, after which each of their
 *       subscriptions must be answered {@code Unsubscribe}. Every POST is retried as Exchange does
 *       ({@link Poster}); at {@link Scenario#failoverAfter()} every POST moves to the failover
 *       listener ({@link Route}).
 *   <li>The expectation follows the badge rules: a POST answered {@code OK} whose newest Inbox
 *       folder event has a count sets that account's count and must push the sum of the device's
 *       accounts' last counts (an account never counted adds 0); one without a count changes no
 *       count (it wakes). A POST never answered {@code OK} counts for nothing.
 *   <li>After the traffic (and its retries) has ended, waits up to {@link Scenario#settle()} for
 *       the pushes, then checks every device's last badge ({@link BadgeCheck}).
 * </ol>
 *
 * The run fails (see {@link Report#failures()}) on a lost or wrong badge, a badge nobody asked for,
 * an {@code Unsubscribe} for a live subscription, a dropped subscription (retries ran out), a dead
 * token's subscription answered {@code OK}, pushes the inspector let fall before they were read, or
 * an error of the run itself.
 *
 * <p>Blocking: {@link #run} returns when the check is done. Tokens and secrets are never printed;
 * device tokens only shortened.
 */
public final class Simulator {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ACCOUNTS_PER_USER = 20;
  private static final String PROBE = "dead-token-probe";

  private final Scenario scenario;
  private final Targets targets;
  private final PrintStream progress;
  private final Tally tally = new Tally();
  private final Route route = new Route();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

  /** What the run handed the services that no log line may show ({@link Report#secrets()}). */
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  private Simulator(Scenario scenario, Targets targets, PrintStream progress) {
    this.scenario = scenario;
    this.targets = targets;
    this.progress = progress;
  }

  /**
   * Runs the scenario; progress lines go to {@code progress}.
   *
   * @throws IllegalStateException when the system cannot be set up (sign-in, registration, the
   *     inspector); traffic failures are in the report
   */
  public static Report run(Scenario scenario, Targets targets, PrintStream progress) {
    return start(scenario, targets, progress).report();
  }

  /**
   * Starts the scenario on a thread of its own and returns at once: the handle moves Exchange's
   * traffic at any moment (as a fault suite's DNS failover does), reads the counters while traffic
   * runs, and waits for the report.
   */
  public static Running start(Scenario scenario, Targets targets, PrintStream progress) {
    if (scenario.failoverAfter() != null && targets.failoverListener() == null) {
      throw new IllegalArgumentException("a failover time needs a failover listener");
    }
    Simulator simulator = new Simulator(scenario, targets, progress);
    CompletableFuture<Report> report = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                report.complete(simulator.run());
              } catch (Throwable e) {
                report.completeExceptionally(e);
              }
            },
            "simulator");
    thread.setDaemon(true);
    thread.start();
    return new Running(simulator, report);
  }

  /** A started run. Thread-safe. */
  public static final class Running {
    private final Simulator simulator;
    private final CompletableFuture<Report> report;

    private Running(Simulator simulator, CompletableFuture<Report> report) {
      this.simulator = simulator;
      this.report = report;
    }

    /**
     * From now on every POST, retries included, goes to {@code listenerBase} (the callback URL's
     * scheme, host and port swapped, its path kept), as when DNS moves the listener's hostname to
     * another region.
     */
    public void failOverTo(URI listenerBase) {
      simulator.failOver(listenerBase);
    }

    /** The counters so far (the report's {@link Report#counts()} keys). */
    public Map<String, Long> counts() {
      return simulator.tally.snapshot();
    }

    /** Whether the report is ready. */
    public boolean isDone() {
      return report.isDone();
    }

    /**
     * Waits for the report.
     *
     * @throws IllegalStateException and the like, as {@link Simulator#run} throws them
     */
    public Report report() {
      try {
        return report.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  private void failOver(URI to) {
    route.failOverTo(to);
    tally.add("failover");
    progress.println("failed over: POSTs now go to " + to);
  }

  private Report run() {
    ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(2, daemons("sim-timer"));
    ExecutorService blocking = Executors.newFixedThreadPool(4, daemons("sim-blocking"));
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try {
      PushFeed feed = new PushFeed(http, targets.inspector());
      feed.start(timer);
      Instant begin = Instant.now();
      List<Device> devices = register(http, blocking);
      Duration registeredIn = Duration.between(begin, Instant.now());
      int accounts = devices.stream().mapToInt(d -> d.accounts.size()).sum();
      progress.printf(
          "registered %d devices, %d accounts in %.1f s; traffic for %d s%n",
          devices.size(),
          accounts,
          registeredIn.toMillis() / 1000.0,
          scenario.duration().toSeconds());

      Instant trafficBegin = Instant.now();
      Poster poster = new Poster(http, timer, scenario.postTimeout(), route, tally);
      RetrySchedule schedule =
          new RetrySchedule(scenario.statusFrequencyMinutes(), scenario.timeScale());
      RegistrationClient api = new RegistrationClient(http, targets.registrationApi());
      long end = System.nanoTime() + scenario.duration().toNanos();
      if (scenario.failoverAfter() != null) {
        URI to = targets.failoverListener();
        timer.schedule(
            () -> failOver(to), scenario.failoverAfter().toNanos(), TimeUnit.NANOSECONDS);
      }
      List<CompletableFuture<Void>> lanes = new ArrayList<>();
      for (Device device : devices) {
        if (scenario.parallelAccounts()) {
          for (Account account : device.accounts) {
            lanes.add(
                new Lane(
                        device, List.of(account), poster, schedule, api, http, timer, blocking, end)
                    .start());
          }
        } else {
          lanes.add(
              new Lane(device, device.accounts, poster, schedule, api, http, timer, blocking, end)
                  .start());
        }
      }
      CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
          .orTimeout(
              scenario.duration().toMillis() + drainLimit(schedule).toMillis(),
              TimeUnit.MILLISECONDS)
          .exceptionally(
              failure -> {
                errors.add("traffic did not end in time: " + failure);
                return null;
              })
          .join();
      Duration trafficFor = Duration.between(trafficBegin, Instant.now());
      progress.printf(
          "traffic done in %.1f s: %d POSTs; waiting up to %d s for pushes%n",
          trafficFor.toMillis() / 1000.0, tally.get("posts"), scenario.settle().toSeconds());

      List<DeviceExpectation> expected = devices.stream().map(Device::expectation).toList();
      Instant settleUntil = Instant.now().plus(scenario.settle());
      BadgeCheck.Result check = BadgeCheck.check(expected, feed.pushes());
      while (!check.passed() && Instant.now().isBefore(settleUntil)) {
        sleep(Duration.ofMillis(500));
        check = BadgeCheck.check(expected, feed.pushes());
      }
      // A little longer, so that a late duplicate or a stale push is seen too.
      sleep(Duration.ofMillis(1000));
      feed.stop();
      List<ReceivedPush> received = feed.pushes();
      check = BadgeCheck.check(expected, received);
      if (feed.error() != null) {
        errors.add("the push inspector failed: " + feed.error());
      }
      int multi = (int) devices.stream().filter(d -> d.accounts.size() > 1).count();
      Map<String, Long> counts = tally.snapshot();
      List<String> failures =
          Report.failures(counts, check, feed.missed(), feed.restarted(), List.copyOf(errors));
      return new Report(
          devices.size(),
          accounts,
          multi,
          registeredIn,
          trafficFor,
          route.failover() != null,
          counts,
          check,
          feed.missed(),
          failures,
          expected,
          received,
          Set.copyOf(secrets));
    } finally {
      timer.shutdownNow();
      blocking.shutdownNow();
    }
  }

  /** How long traffic may take after its end: one full retry schedule, and a margin. */
  private Duration drainLimit(RetrySchedule schedule) {
    Duration retries =
        schedule.delays().stream()
            .reduce(Duration.ZERO, Duration::plus)
            .plus(scenario.postTimeout().multipliedBy(schedule.delays().size() + 1));
    return retries.plusSeconds(30);
  }

  // ---------------------------------------------------------------------------------------------
  // Registration

  private List<Device> register(HttpClient http, ExecutorService blocking) {
    Random random = new Random(scenario.seed());
    String run = HexFormat.of().formatHex(bytes(4));
    AppSignIn signIn = new AppSignIn(targets.issuer());
    RegistrationClient api = new RegistrationClient(http, targets.registrationApi());
    Map<String, String> tokens = new ConcurrentHashMap<>();
    List<Device> devices = new ArrayList<>();
    for (int d = 0; d < scenario.devices(); d++) {
      boolean fcm = random.nextDouble() < scenario.fcmShare();
      int accounts =
          random.nextDouble() < scenario.multiAccountShare()
              ? 2 + random.nextInt(scenario.maxAccounts() - 1)
              : 1;
      String token =
          fcm
              ? "sim-fcm-" + HexFormat.of().formatHex(bytes(24))
              : HexFormat.of().formatHex(bytes(32));
      Device device = new Device(d, scenario.parallelAccounts(), fcm ? "fcm" : "apns", token);
      for (int a = 0; a < accounts; a++) {
        String key = run + "-d" + d + "-a" + a;
        device.accounts.add(
            new Account(
                device,
                "sim-" + run + "-g" + (d / ACCOUNTS_PER_USER) + "-a" + a,
                new Mailbox(key, new Random(random.nextLong()), scenario.missingCountShare())));
      }
      devices.add(device);
    }
    // Who does what during the traffic, chosen up front from the seed.
    List<Device> shuffled = new ArrayList<>(devices);
    Collections.shuffle(shuffled, random);
    long durationNanos = scenario.duration().toNanos();
    for (int i = 0; i < scenario.deadDevices(); i++) {
      shuffled.get(i).deadAfterNanos = (long) (durationNanos * (0.3 + 0.4 * random.nextDouble()));
    }
    List<Account> all = devices.stream().flatMap(d -> d.accounts.stream()).toList();
    List<Account> live =
        all.stream()
            .filter(a -> a.device.deadAfterNanos < 0)
            .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    Collections.shuffle(live, random);
    for (int i = 0; i < Math.min(scenario.errorForms(), live.size()); i++) {
      live.get(i).errorFormAfterNanos = (long) (durationNanos * (0.2 + 0.5 * random.nextDouble()));
    }
    // Sign in each user once, then register and bind in parallel.
    for (Account account : all) {
      tokens.computeIfAbsent(account.user, signIn::accessToken);
    }
    List<Future<?>> work = new ArrayList<>();
    for (Account account : all) {
      work.add(
          blocking.submit(
              () -> {
                String accessToken = tokens.get(account.user);
                RegistrationClient.Registered registered =
                    api.register(
                        accessToken,
                        account.device.platform,
                        account.device.platform.equals("fcm")
                            ? targets.fcmProject()
                            : targets.apnsTopic(),
                        account.device.token);
                api.bind(
                    accessToken,
                    registered.registrationId(),
                    account.mailbox.subscriptionId(),
                    account.mailbox.inboxFolderId(),
                    scenario.statusFrequencyMinutes());
                account.registrationId = registered.registrationId();
                account.callbackUrl = registered.callbackUrl();
                account.accessToken = accessToken;
                secrets.add(accessToken);
                secrets.add(account.device.token);
                secrets.add(account.mailbox.subscriptionId());
                String callback = registered.callbackUrl();
                secrets.add(callback.substring(callback.lastIndexOf('/') + 1));
              }));
    }
    for (Future<?> task : work) {
      try {
        task.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException cause
            ? cause
            : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while registering", e);
      }
    }
    return devices;
  }

  // ---------------------------------------------------------------------------------------------
  // The model

  /** One device token and its accounts; its expectation is changed by its lane only. */
  private static final class Device {
    final int index;
    final boolean parallel;
    final String platform;
    final String token;
    final List<Account> accounts = new ArrayList<>();
    final List<Integer> expectedBadges = new ArrayList<>();
    long deadAfterNanos = -1;
    volatile boolean dead;
    @Nullable String excluded;

    Device(int index, boolean parallel, String platform, String token) {
      this.index = index;
      this.parallel = parallel;
      this.platform = platform;
      this.token = token;
    }

    synchronized int sum() {
      int sum = 0;
      for (Account account : accounts) {
        sum += account.known == null ? 0 : account.known;
      }
      return sum;
    }

    synchronized void exclude(String why) {
      if (excluded == null) {
        excluded = why;
      }
    }

    synchronized DeviceExpectation expectation() {
      return new DeviceExpectation(
          platform, token, expectedBadges, excluded, parallel && accounts.size() > 1);
    }
  }

  /** One account (registration) of a device. */
  private static final class Account {
    final Device device;
    final String user;
    final Mailbox mailbox;
    String registrationId = "";
    String callbackUrl = "";
    String accessToken = "";
    @Nullable Integer known;
    volatile long lastPostNanos = System.nanoTime();
    volatile long errorFormAfterNanos = -1;
    volatile boolean ended;

    Account(Device device, String user, Mailbox mailbox) {
      this.device = device;
      this.user = user;
      this.mailbox = mailbox;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Traffic

  /**
   * The POSTs of some accounts of a device (all of them, or one with {@link
   * Scenario#parallelAccounts()}), one at a time, until the traffic's end; completes when it stops.
   * The lane holding a device's first account makes its token dead.
   */
  private final class Lane {
    private final Device device;
    private final List<Account> accounts;
    private final boolean killer;
    private final Poster poster;
    private final RetrySchedule schedule;
    private final RegistrationClient api;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final ExecutorService blocking;
    private final long begin = System.nanoTime();
    private final long end;
    private final Random random;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long nextChange;

    Lane(
        Device device,
        List<Account> accounts,
        Poster poster,
        RetrySchedule schedule,
        RegistrationClient api,
        HttpClient http,
        ScheduledExecutorService timer,
        ExecutorService blocking,
        long end) {
      this.device = device;
      this.accounts = accounts;
      this.killer = accounts.contains(device.accounts.get(0));
      this.poster = poster;
      this.schedule = schedule;
      this.api = api;
      this.http = http;
      this.timer = timer;
      this.blocking = blocking;
      this.end = end;
      this.random =
          new Random(
              (scenario.seed() * 31 + device.index) * 31
                  + device.accounts.indexOf(accounts.get(0)));
      long now = System.nanoTime();
      for (Account account : accounts) {
        account.lastPostNanos = now;
      }
      this.nextChange = now + interval();
    }

    CompletableFuture<Void> start() {
      // Spread the lanes' first changes instead of a thundering start.
      later(random.nextLong(Math.max(1, scenario.meanInterval().toNanos())));
      return done;
    }

    private void tick() {
      try {
        step();
      } catch (RuntimeException e) {
        errors.add("device " + device.index + ": " + e);
        device.exclude("the simulator failed on it");
        done.complete(null);
      }
    }

    private void step() {
      long now = System.nanoTime();
      List<Account> live = accounts.stream().filter(a -> !a.ended).toList();
      if (now >= end || live.isEmpty() || (device.dead && !killer)) {
        done.complete(null);
        return;
      }
      if (killer
          && device.deadAfterNanos >= 0
          && !device.dead
          && now - begin >= device.deadAfterNanos) {
        killToken(device.accounts.stream().filter(a -> !a.ended).toList());
        return;
      }
      for (Account account : live) {
        if (account.errorFormAfterNanos >= 0 && now - begin >= account.errorFormAfterNanos) {
          account.errorFormAfterNanos = -1;
          failSubscription(account);
          return;
        }
      }
      long heartbeat = schedule.heartbeatInterval().toNanos();
      Account quiet = live.get(0);
      for (Account account : live) {
        if (account.lastPostNanos < quiet.lastPostNanos) {
          quiet = account;
        }
      }
      if (now - quiet.lastPostNanos >= heartbeat) {
        send(quiet, List.of(quiet.mailbox.heartbeat()), 0);
        return;
      }
      if (now >= nextChange) {
        Account account = live.get(random.nextInt(live.size()));
        nextChange = now + interval();
        send(account, account.mailbox.change(), 0);
        return;
      }
      long wake = Math.min(nextChange, quiet.lastPostNanos + heartbeat);
      wake = Math.min(wake, end);
      if (killer && device.deadAfterNanos >= 0 && !device.dead) {
        wake = Math.min(wake, begin + device.deadAfterNanos);
      }
      for (Account account : live) {
        if (account.errorFormAfterNanos >= 0) {
          wake = Math.min(wake, begin + account.errorFormAfterNanos);
        }
      }
      later(Math.max(0, wake - now));
    }

    private long interval() {
      // Exponential: a Poisson process of changes per account, merged over the live accounts.
      long live = Math.max(1, accounts.stream().filter(a -> !a.ended).count());
      double mean = scenario.meanInterval().toNanos() / (double) live;
      return (long) (-Math.log(1 - random.nextDouble()) * mean);
    }

    private void later(long nanos) {
      timer.schedule(this::tick, nanos, TimeUnit.NANOSECONDS);
    }

    /** POSTs {@code posts} of one account in order; each waits for the one before it. */
    private void send(Account account, List<Post> posts, int index) {
      if (index >= posts.size() || account.ended) {
        tick();
        return;
      }
      Post post = posts.get(index);
      poster
          .send(account.callbackUrl, post, schedule)
          .whenComplete(
              (outcome, failure) -> {
                if (failure != null) {
                  errors.add("a POST failed in the simulator: " + failure);
                  account.ended = true;
                  device.exclude("the simulator failed on it");
                } else {
                  answered(account, post, outcome);
                }
                if (post.failure() && outcome == Poster.Outcome.OK) {
                  resubscribe(account);
                } else {
                  send(account, posts, index + 1);
                }
              });
    }

    private void answered(Account account, Post post, Poster.Outcome outcome) {
      account.lastPostNanos = System.nanoTime();
      switch (outcome) {
        case OK -> {
          if (device.dead) {
            // A probe must be answered Unsubscribe; another lane's POST sent before the token
            // died may be answered OK.
            if (post.kind().equals(PROBE)) {
              tally.add("dead.not-unsubscribed");
            }
            account.ended = true;
            return;
          }
          synchronized (device) {
            if (post.inboxCount() != null) {
              account.known = post.inboxCount();
              device.expectedBadges.add(device.sum());
              tally.add("expected.badges");
            }
          }
          if (post.wakes()) {
            tally.add("expected.wakes");
          }
          if (post.failure()) {
            tally.add("expected.resubscribes");
          }
        }
        case UNSUBSCRIBE -> {
          account.ended = true;
          if (device.dead) {
            tally.add("dead.unsubscribed");
          } else {
            tally.add("unsubscribe.unexpected");
            device.exclude("a live subscription was answered Unsubscribe");
          }
        }
        case GAVE_UP -> {
          account.ended = true;
          device.exclude("a subscription was dropped: its retries ran out");
        }
      }
    }

    /** The app, woken by {@code resubscribe}, subscribes again and binds the new subscription. */
    private void resubscribe(Account account) {
      CompletableFuture.runAsync(
              () -> {
                account.mailbox.resubscribe();
                secrets.add(account.mailbox.subscriptionId());
                api.bind(
                    account.accessToken,
                    account.registrationId,
                    account.mailbox.subscriptionId(),
                    account.mailbox.inboxFolderId(),
                    scenario.statusFrequencyMinutes());
                tally.add("resubscribed");
              },
              blocking)
          .whenComplete(
              (ignored, failure) -> {
                if (failure != null) {
                  errors.add("binding a new subscription failed: " + failure.getMessage());
                  account.ended = true;
                  device.exclude("its app could not bind a new subscription");
                }
                tick();
              });
    }

    private void failSubscription(Account account) {
      send(account, List.of(account.mailbox.failure()), 0);
    }

    /**
     * The app is gone: the token is made dead at the push server, then new mail for each account
     * must be answered {@code Unsubscribe} (the first by the rejected push, the others because the
     * listener deleted every registration of the token).
     */
    private void killToken(List<Account> live) {
      device.dead = true;
      device.exclude("its token was made dead");
      tally.add("dead.tokens");
      CompletableFuture.runAsync(() -> markDead(device), blocking)
          .whenComplete(
              (ignored, failure) -> {
                if (failure != null) {
                  errors.add("making a token dead failed: " + failure.getMessage());
                  live.forEach(a -> a.ended = true);
                  tick();
                  return;
                }
                probe(live, 0);
              });
    }

    private void probe(List<Account> live, int index) {
      if (index >= live.size()) {
        tick();
        return;
      }
      Account account = live.get(index);
      Post mail = account.mailbox.newMail(true);
      Post post =
          new Post(
              PROBE, mail.subscriptionId(), mail.body(), mail.inboxCount(), mail.wakes(), false);
      poster
          .send(account.callbackUrl, post, schedule)
          .whenComplete(
              (outcome, failure) -> {
                if (failure != null) {
                  errors.add("a POST failed in the simulator: " + failure);
                  account.ended = true;
                } else {
                  answered(account, post, outcome);
                  account.ended = true;
                }
                probe(live, index + 1);
              });
    }

    private void markDead(Device dead) {
      URI uri =
          targets.inspector().resolve("/api/devices/" + dead.platform + "/" + dead.token + "/dead");
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "the push inspector answered " + response.statusCode() + " to making a token dead");
        }
      } catch (IOException e) {
        throw new IllegalStateException("the push inspector does not answer: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
