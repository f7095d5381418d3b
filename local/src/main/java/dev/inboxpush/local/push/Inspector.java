package dev.inboxpush.local.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The push inspector: a web page and a JSON API over the {@link PushLog}, on the JDK's HTTP server.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET /}</td><td>the page (self-contained: inline CSS and script, no external
 *       asset), a row per push, newest first, polling {@code /api/pushes} every second</td></tr>
 *   <tr><td>{@code GET /api/pushes[?after=N]}</td><td>{@code {"instance":..,"lastSequence":..,
 *       "capacity":..,"pushes":[..]}}, newest first; with {@code after}, only pushes whose {@code
 *       sequence} is above N. {@code instance} changes with every start, and sequences start again
 *       from 1 then</td></tr>
 *   <tr><td>{@code GET /api/devices}</td><td>{@code {"devices":[..]}}, the latest activity
 *       first</td></tr>
 *   <tr><td>{@code POST /api/devices/{platform}/{token}/dead}</td><td>makes the token dead from now
 *       on ({@code apns}: 410 {@code Unregistered}; {@code fcm}: 404 {@code UNREGISTERED});
 *       answers {@code {"device":{..}}}</td></tr>
 *   <tr><td>{@code GET /health}</td><td>200 {@code {"status":"UP",..}} once APNs, FCM and the
 *       inspector listen, 503 before</td></tr>
 * </table>
 *
 * <p>Errors are JSON {@code {"status":..,"error":".."}}: 400 for a bad platform, a malformed token
 * (APNs: 64 hex digits; FCM: what the registration API accepts) or a bad {@code after}; 403 for a
 * {@code Host} that is not this server (DNS rebinding) or a cross-origin {@code POST} (another
 * site's page); 404 for an unknown path; 405 with {@code Allow} for another method; 413 for a body
 * over {@value #MAX_BODY} bytes (none of the routes takes one).
 *
 * <p>Threading: requests are served by two daemon threads; the log is thread-safe. {@link #stop}
 * closes the port at once.
 */
final class Inspector {

  /** The largest request body read; none of the routes needs one. */
  static final int MAX_BODY = 1024;

  private static final Logger log = LoggerFactory.getLogger(Inspector.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern DEAD = Pattern.compile("^/api/devices/([^/]*)/([^/]*)/dead$");
  private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-fA-F]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What makes a token dead on its server. */
  interface DeadTokens {
    void markDead(String platform, String token, Instant since);
  }

  /**
   * Faults for fault runs: a share of a platform's pushes answered {@code status} (0: the usual
   * answer) after {@code delay}; {@code clear} ends them.
   */
  interface Faults {
    void set(String platform, int status, double share, Duration delay);

    void clear(String platform);
  }

  private static final Pattern FAULTS = Pattern.compile("^/api/faults/(apns|fcm)$");
  private static final Pattern FAULT_QUERY =
      Pattern.compile(
          "^status=([0-9]{1,3})&share=(0(?:\\.[0-9]{1,6})?|1(?:\\.0{1,6})?)&delayMs=([0-9]{1,6})$");

  private final PushLog pushes;
  private final DeadTokens deadTokens;
  private final Faults faults;
  private final BooleanSupplier ready;
  private final Map<String, Object> health;
  private final String instance;
  private final String page;
  private final ExecutorService executor;
  private final HttpServer server;
  private final Set<String> hosts;

  private Inspector(
      InetSocketAddress address,
      PushLog pushes,
      DeadTokens deadTokens,
      Faults faults,
      BooleanSupplier ready,
      Map<String, Object> health)
      throws IOException {
    this.pushes = pushes;
    this.deadTokens = deadTokens;
    this.faults = faults;
    this.ready = ready;
    this.health = health;
    this.instance = Long.toHexString(RANDOM.nextLong());
    this.page = page();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "push-inspector-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.server = HttpServer.create(address, 50);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.hosts = hosts(address.getAddress(), port());
  }

  /**
   * Starts the inspector on {@code address}; {@code health} is what {@code /health} adds to its
   * status, {@code ready} whether it may say {@code UP}.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  static Inspector start(
      InetSocketAddress address,
      PushLog pushes,
      DeadTokens deadTokens,
      Faults faults,
      BooleanSupplier ready,
      Map<String, Object> health) {
    try {
      return new Inspector(address, pushes, deadTokens, faults, ready, health);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the push inspector to " + address, e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      answer(exchange, route(exchange));
    } catch (RuntimeException e) {
      // The route, never the path: a device's path holds its whole token.
      log.error(
          "push inspector: {} {} failed", exchange.getRequestMethod(), route(path(exchange)), e);
    }
  }

  /** What a path names, for logs: {@code /api/devices/apns/…/dead}, never the token. */
  private static String route(String path) {
    return path.startsWith("/api/devices/") ? "/api/devices/…" : path;
  }

  private Answer route(HttpExchange exchange) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null && !hosts.contains(host.toLowerCase(Locale.ROOT))) {
      return Answer.error(403, "this inspector answers only for " + hosts.iterator().next());
    }
    if (!drained(exchange)) {
      return Answer.error(413, "request bodies are refused (at most " + MAX_BODY + " bytes)");
    }
    String method = exchange.getRequestMethod();
    String path = path(exchange);
    if (path.equals("/")) {
      return get(method) ? Answer.page(page) : Answer.methodNotAllowed("GET");
    }
    if (path.equals("/health")) {
      return get(method) ? health() : Answer.methodNotAllowed("GET");
    }
    if (path.equals("/api/pushes")) {
      return get(method)
          ? pushes(exchange.getRequestURI().getRawQuery())
          : Answer.methodNotAllowed("GET");
    }
    if (path.equals("/api/devices")) {
      return get(method) ? devices() : Answer.methodNotAllowed("GET");
    }
    Matcher dead = DEAD.matcher(path);
    if (dead.matches()) {
      if (!"POST".equals(method)) {
        return Answer.methodNotAllowed("POST");
      }
      if (crossOrigin(exchange, host)) {
        return Answer.error(403, "cross-origin requests may not make tokens dead");
      }
      return markDead(dead.group(1), dead.group(2));
    }
    Matcher fault = FAULTS.matcher(path);
    if (fault.matches()) {
      if (!"POST".equals(method) && !"DELETE".equals(method)) {
        return Answer.methodNotAllowed("POST, DELETE");
      }
      if (crossOrigin(exchange, host)) {
        return Answer.error(403, "cross-origin requests may not inject faults");
      }
      return fault(fault.group(1), method, exchange.getRequestURI().getRawQuery());
    }
    return Answer.error(404, "no such resource: see GET / for the page, /api/pushes, /api/devices");
  }

  private Answer fault(String platform, String method, @Nullable String query) {
    if ("DELETE".equals(method)) {
      faults.clear(platform);
      log.info("{} faults cleared", platform);
      return Answer.json(200, Map.of("platform", platform, "fault", "none"));
    }
    Matcher matcher = FAULT_QUERY.matcher(query == null ? "" : query);
    if (!matcher.matches()) {
      return Answer.error(
          400, "give status=<0, 403, 429, 500 or 503>&share=<0 to 1>&delayMs=<milliseconds>");
    }
    int status = Integer.parseInt(matcher.group(1));
    if (!List.of(0, 401, 403, 429, 500, 503).contains(status)) {
      return Answer.error(400, "the status is 0 (the usual answer), 401, 403, 429, 500 or 503");
    }
    double share = Double.parseDouble(matcher.group(2));
    Duration delay = Duration.ofMillis(Long.parseLong(matcher.group(3)));
    faults.set(platform, status, share, delay);
    log.info(
        "{} faults: {} of pushes answered {} after {} ms",
        platform,
        share,
        status,
        delay.toMillis());
    return Answer.json(
        200,
        Map.of(
            "platform", platform, "status", status, "share", share, "delayMs", delay.toMillis()));
  }

  private static boolean get(String method) {
    return "GET".equals(method);
  }

  private Answer health() {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean up = ready.getAsBoolean();
    body.put("status", up ? "UP" : "STARTING");
    body.putAll(health);
    return Answer.json(up ? 200 : 503, body);
  }

  private Answer pushes(@Nullable String query) {
    long after = 0;
    if (query != null && !query.isEmpty()) {
      Matcher matcher = Pattern.compile("^after=([0-9]{1,18})$").matcher(query);
      if (!matcher.matches()) {
        return Answer.error(400, "the only parameter is after=<sequence>, a whole number");
      }
      after = Long.parseLong(matcher.group(1));
    }
    PushLog.Snapshot snapshot = pushes.snapshot(after);
    List<Map<String, @Nullable Object>> rows = new ArrayList<>();
    for (Push push : snapshot.pushes()) {
      rows.add(json(push));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance", instance);
    body.put("lastSequence", snapshot.lastSequence());
    body.put("capacity", pushes.capacity());
    body.put("pushes", rows);
    return Answer.json(200, body);
  }

  private Answer devices() {
    List<Map<String, @Nullable Object>> rows = new ArrayList<>();
    for (Device device : pushes.devices()) {
      rows.add(json(device));
    }
    return Answer.json(200, Map.of("devices", rows));
  }

  private Answer markDead(String platform, String rawToken) {
    String token;
    if (ApnsRows.PLATFORM.equals(platform)) {
      if (!APNS_TOKEN.matcher(rawToken).matches()) {
        return Answer.error(400, "an APNs device token is 64 hexadecimal digits");
      }
      token = rawToken.toLowerCase(Locale.ROOT);
    } else if (FcmRows.PLATFORM.equals(platform)) {
      try {
        token = DeviceToken.of(Platform.FCM, rawToken).value();
      } catch (InvalidValueException e) {
        return Answer.error(400, "not an FCM registration token: " + e.getMessage());
      }
    } else {
      return Answer.error(400, "the platform is apns or fcm");
    }
    Instant since = Instant.now();
    deadTokens.markDead(platform, token, since);
    Device device = pushes.markDead(platform, token, since);
    log.info("{} token {} is dead from now on", platform, device.shortToken());
    return Answer.json(200, Map.of("device", json(device)));
  }

  private static Map<String, @Nullable Object> json(Push push) {
    Map<String, @Nullable Object> row = new LinkedHashMap<>();
    row.put("sequence", push.sequence());
    row.put("at", push.at().toString());
    row.put("platform", push.platform());
    row.put("token", push.token());
    row.put("shortToken", push.shortToken());
    row.put("app", push.app());
    row.put("badge", push.badge());
    row.put("kind", push.kind());
    row.put("priority", push.priority());
    row.put("pushType", push.pushType());
    row.put("collapseId", push.collapseId());
    row.put("status", push.status());
    row.put("accepted", push.accepted());
    row.put("rejection", push.rejection());
    return row;
  }

  private static Map<String, @Nullable Object> json(Device device) {
    Map<String, @Nullable Object> row = new LinkedHashMap<>();
    row.put("platform", device.platform());
    row.put("token", device.token());
    row.put("shortToken", device.shortToken());
    row.put("pushes", device.pushes());
    row.put("lastPush", device.lastPush() == null ? null : device.lastPush().toString());
    row.put("dead", device.dead());
    row.put("deadSince", device.deadSince() == null ? null : device.deadSince().toString());
    return row;
  }

  /**
   * A page of another site may send a simple {@code POST} here without any preflight; browsers name
   * their origin on it ({@code Origin}, {@code Sec-Fetch-Site}), scripts such as curl send neither.
   */
  private static boolean crossOrigin(HttpExchange exchange, @Nullable String host) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
      return true;
    }
    String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
    return site != null && !site.equals("same-origin") && !site.equals("none");
  }

  /** Reads the body, if any, up to {@link #MAX_BODY}; false when it is larger. */
  private static boolean drained(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY) {
          return false;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    InputStream body = exchange.getRequestBody();
    byte[] buffer = new byte[MAX_BODY + 1];
    int total = 0;
    for (int read; (read = body.read(buffer, 0, buffer.length)) > 0; ) {
      total += read;
      if (total > MAX_BODY) {
        return false;
      }
    }
    return true;
  }

  private static String path(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    return path == null ? "" : path;
  }

  private static Set<String> hosts(InetAddress address, int port) {
    Set<String> hosts = new java.util.LinkedHashSet<>();
    hosts.add("127.0.0.1:" + port);
    hosts.add("localhost:" + port);
    hosts.add("[::1]:" + port);
    if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
      String literal = address.getHostAddress();
      hosts.add((literal.contains(":") ? "[" + literal + "]" : literal) + ":" + port);
    }
    return hosts;
  }

  private static void answer(HttpExchange exchange, Answer answer) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", answer.contentType());
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    answer.headers().forEach(headers::set);
    byte[] body = answer.body();
    if (answer.status() == 413) {
      // The rest of an oversized body is not read: close rather than reuse the connection.
      headers.set("Connection", "close");
    }
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String page() {
    try (InputStream in = Inspector.class.getResourceAsStream("inspector.html")) {
      return new String(
          Objects.requireNonNull(in, "inspector.html").readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the inspector page", e);
    }
  }

  /** One answer: a status, a body and its headers. */
  private record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

    static Answer json(int status, Object body) {
      return new Answer(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
    }

    static Answer error(int status, String message) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status);
      body.put("error", message);
      return json(status, body);
    }

    static Answer methodNotAllowed(String allowed) {
      Answer error = error(405, "only " + allowed + " is allowed here");
      return new Answer(405, error.contentType(), error.body(), Map.of("Allow", allowed));
    }

    /**
     * The page with a fresh nonce: its policy lets only its own inline script and style run and
     * fetch only from this origin, so nothing a push carries can load or run anything.
     */
    static Answer page(String template) {
      byte[] bytes = new byte[18];
      RANDOM.nextBytes(bytes);
      String nonce = Base64.getEncoder().encodeToString(bytes);
      String html = template.replace("{{NONCE}}", nonce);
      return new Answer(
          200,
          "text/html; charset=utf-8",
          html.getBytes(StandardCharsets.UTF_8),
          Map.of(
              "Content-Security-Policy",
              "default-src 'none'; script-src 'nonce-"
                  + nonce
                  + "'; style-src 'nonce-"
                  + nonce
                  + "'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none';"
                  + " frame-ancestors 'none'"));
    }
  }
}
