package dev.inboxpush.testsupport.ews;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A small fake Exchange Web Services endpoint ({@code POST /EWS/Exchange.asmx}) for one test
 * mailbox, answering the operations a push subscriber uses as Exchange does, and then behaving as
 * Exchange's notification sender: it POSTs real {@code SendNotification} messages to the callback
 * URL it was given.
 *
 * <ul>
 *   <li>{@code GetFolder} of the distinguished {@code inbox}: the Inbox's FolderId.
 *   <li>{@code Subscribe} with a {@code PushSubscriptionRequest} (the Inbox, event types,
 *       StatusFrequency 1 to 1440, URL): a new SubscriptionId and watermark; then, as Exchange
 *       does, a {@code StatusEvent} to the URL at once and again every {@link
 *       Builder#heartbeatEvery} (StatusFrequency minutes unless the test shortens it), until the
 *       subscriber answers {@code Unsubscribe}.
 *   <li>{@code Unsubscribe} of a push subscription: {@code ErrorInvalidSubscription}, as
 *       MS-OXWSNTIF §3.1.4.4 says (the operation ends only pull and streaming subscriptions; a push
 *       subscription ends when its subscriber answers {@code Unsubscribe}); {@code
 *       ErrorSubscriptionNotFound} for an id it never issued.
 *   <li>{@code CreateItem} of a message sent ({@code SendOnly} / {@code SendAndSaveCopy}) to {@link
 *       Builder#mailbox}: delivered, so every live subscription gets a {@code CreatedEvent}, a
 *       {@code NewMailEvent} and the Inbox's folder {@code ModifiedEvent} with its new {@code
 *       UnreadCount}. {@link #deliverMail()} does the same for a message sent by someone else.
 *   <li>Anything else: a SOAP fault {@code ErrorInvalidRequest}, HTTP 500.
 * </ul>
 *
 * <p>Authentication as Exchange on-premises with Basic, or Exchange Online with OAuth2: a request
 * without the configured {@code Authorization} (Basic user and password, or a bearer token) is
 * answered {@code 401} with {@code WWW-Authenticate: Basic realm=...} and {@code Bearer} (and, for
 * a refused bearer token, Exchange Online's {@code x-ms-diagnostics} reason). The failures an
 * administrator meets are {@link Failure}s: EWS switched off (403), an EWS error response to {@code
 * Subscribe}, an endpoint that accepts and never answers, and an outbound path that drops every
 * notification (a firewall). A TLS failure is the certificate the server is built with ({@link
 * Builder#tls}): one for another name, expired, or self-signed.
 *
 * <p>What Exchange does and this fake does not: retries of an unanswered notification (30 s,
 * doubling; here a failed POST is recorded and the next heartbeat comes on schedule), watermark
 * expiry, throttling, Autodiscover, NTLM.
 *
 * <p>Lifecycle: {@link #builder()}, {@link Builder#start()} binds {@code 127.0.0.1:0}; {@link
 * #close()} stops the server, the heartbeats and any request held open. Threading: thread-safe;
 * requests are served on a cached pool (a held-open request blocks only itself), notifications are
 * sent from one scheduler thread, in order. Everything received and sent is recorded ({@link
 * #operations()}, {@link #notifications()}); credentials are compared, never recorded.
 */
public final class FakeEwsServer implements AutoCloseable {

  /** The path Exchange serves EWS on. */
  public static final String PATH = "/EWS/Exchange.asmx";

  private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String MESSAGES =
      "http://schemas.microsoft.com/exchange/services/2006/messages";
  private static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
  private static final Pattern STATUS =
      Pattern.compile(
          "<(?:\\w+:)?SubscriptionStatus>\\s*(\\w+)\\s*</(?:\\w+:)?SubscriptionStatus>");

  /** What goes wrong, as an administrator meets it. */
  public enum Failure {
    /** Nothing: Exchange as it should be. */
    NONE,
    /** EWS is switched off for the tenant or the mailbox: every request is answered 403. */
    EWS_DISABLED,
    /**
     * {@code Subscribe} is answered with an EWS error ({@link Builder#subscribeError}), such as
     * {@code ErrorExceededSubscriptionCount}; the other operations work.
     */
    SUBSCRIBE_ERROR,
    /** Every request is accepted and never answered until the server closes. */
    NO_ANSWER,
    /**
     * Subscriptions are created, but no notification ever reaches the callback URL: an outbound
     * firewall or a missing proxy between Exchange and the listener.
     */
    NOTIFICATIONS_BLOCKED
  }

  /** One EWS request as received: the operation's element name and the HTTP status answered. */
  public record Operation(String name, int status) {}

  /**
   * One notification POSTed to a callback URL: what it carried, the HTTP status of the answer (0
   * when it could not be sent) and the {@code SubscriptionStatus} answered ({@code OK}, {@code
   * Unsubscribe}, or null when there was none), and when it was sent.
   */
  public record Notification(
      String subscriptionId,
      String kind,
      int status,
      @Nullable String subscriptionStatus,
      java.time.Instant sentAt) {}

  private final HttpServer server;
  private final ExecutorService requests = Executors.newCachedThreadPool(daemon("fake-ews"));
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(daemon("fake-ews-notifications"));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Builder settings;
  private final String inboxFolderId =
      "AQMkAGFakeInbox" + UUID.randomUUID().toString().replace("-", "");
  private final AtomicInteger unread = new AtomicInteger();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final List<Operation> operations = new CopyOnWriteArrayList<>();
  private final List<Notification> notifications = new CopyOnWriteArrayList<>();

  private FakeEwsServer(Builder settings) throws IOException, GeneralSecurityException {
    this.settings = settings;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (settings.certificate == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(settings.certificate.toKeyManagerFactory().getKeyManagers(), null, null);
      https.setHttpsConfigurator(new HttpsConfigurator(context));
      server = https;
    }
    server.setExecutor(requests);
    server.createContext(PATH, this::serve);
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code https://127.0.0.1:<port>/EWS/Exchange.asmx} (or {@code http://} without TLS). */
  public URI url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** The Inbox's FolderId, as {@code GetFolder} answers it. */
  public String inboxFolderId() {
    return inboxFolderId;
  }

  /** The ids of subscriptions still sending (not ended by an {@code Unsubscribe} answer). */
  public List<String> liveSubscriptions() {
    return subscriptions.values().stream().filter(s -> !s.ended).map(s -> s.id).toList();
  }

  /** Every EWS request received, in order. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** Every notification sent (or attempted), in order. */
  public List<Notification> notifications() {
    return List.copyOf(notifications);
  }

  /**
   * A message arrives in the Inbox from someone else: every live subscription is notified of it.
   */
  public void deliverMail() {
    int count = unread.incrementAndGet();
    for (Subscription subscription : subscriptions.values()) {
      sender.execute(() -> subscription.newMail(count));
    }
  }

  @Override
  public void close() {
    closing.countDown();
    sender.shutdownNow();
    server.stop(0);
    requests.shutdownNow();
  }

  // ---- EWS ------------------------------------------------------------------------------------

  private void serve(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readNBytes(1 << 20);
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, "unknown", 405, new byte[0]);
        return;
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (!authorized(authorization)) {
        if (authorization != null && authorization.startsWith("Bearer ")) {
          // Exchange Online says why it refused a token.
          exchange
              .getResponseHeaders()
              .add(
                  "x-ms-diagnostics",
                  "2000001;reason=\"The token is invalid.\";error_category=\"invalid_token\"");
        }
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake-ews\"");
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        answer(exchange, "unknown", 401, new byte[0]);
        return;
      }
      Element operation;
      try {
        operation = operationOf(body);
      } catch (Exception e) {
        answer(exchange, "unreadable", 500, fault("ErrorSchemaValidation", "not a SOAP request"));
        return;
      }
      String name = operation.getLocalName();
      if (settings.failure == Failure.EWS_DISABLED) {
        answer(exchange, name, 403, new byte[0]);
        return;
      }
      if (settings.failure == Failure.NO_ANSWER) {
        operations.add(new Operation(name, 0));
        awaitClosing();
        return;
      }
      switch (name) {
        case "GetFolder" -> answer(exchange, name, 200, getFolder(operation));
        case "Subscribe" -> subscribe(exchange, operation);
        case "Unsubscribe" -> answer(exchange, name, 200, unsubscribe(operation));
        case "CreateItem" -> answer(exchange, name, 200, createItem(operation));
        default ->
            answer(exchange, name, 500, fault("ErrorInvalidRequest", "not supported: " + name));
      }
    } finally {
      exchange.close();
    }
  }

  private boolean authorized(@Nullable String authorization) {
    if (authorization == null) {
      return false;
    }
    String expected =
        settings.bearerToken != null
            ? "Bearer " + settings.bearerToken
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (settings.user + ":" + settings.password).getBytes(StandardCharsets.UTF_8));
    return java.security.MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] getFolder(Element operation) {
    Element id = first(operation, TYPES, "DistinguishedFolderId");
    if (id == null || !"inbox".equals(id.getAttribute("Id"))) {
      return envelope(
          "<m:GetFolderResponse><m:ResponseMessages>"
              + error("GetFolderResponseMessage", "ErrorFolderNotFound", "only the inbox here")
              + "</m:ResponseMessages></m:GetFolderResponse>");
    }
    return envelope(
        "<m:GetFolderResponse><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass=\"Success\">"
            + "<m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id=\""
            + inboxFolderId
            + "\" ChangeKey=\"AQAAABYAAAA=\"/></t:Folder></m:Folders></m:GetFolderResponseMessage>"
            + "</m:ResponseMessages></m:GetFolderResponse>");
  }

  private void subscribe(HttpExchange exchange, Element operation) throws IOException {
    Element push = first(operation, MESSAGES, "PushSubscriptionRequest");
    String invalid = push == null ? "only push subscriptions here" : invalidPush(push);
    if (invalid != null) {
      answer(
          exchange, "Subscribe", 200, subscribeError("ErrorInvalidSubscriptionRequest", invalid));
      return;
    }
    if (settings.failure == Failure.SUBSCRIBE_ERROR) {
      answer(exchange, "Subscribe", 200, subscribeError(settings.subscribeError, "refused"));
      return;
    }
    Objects.requireNonNull(push);
    Subscription subscription =
        new Subscription(
            "FakeSub" + UUID.randomUUID().toString().replace("-", ""),
            URI.create(text(push, TYPES, "URL")),
            Integer.parseInt(text(push, TYPES, "StatusFrequency")));
    subscriptions.put(subscription.id, subscription);
    answer(
        exchange,
        "Subscribe",
        200,
        envelope(
            "<m:SubscribeResponse><m:ResponseMessages><m:SubscribeResponseMessage ResponseClass=\"Success\">"
                + "<m:ResponseCode>NoError</m:ResponseCode><m:SubscriptionId>"
                + subscription.id
                + "</m:SubscriptionId><m:Watermark>"
                + subscription.watermark
                + "</m:Watermark></m:SubscribeResponseMessage></m:ResponseMessages></m:SubscribeResponse>"));
    // Exchange sends the first StatusEvent as soon as the subscription exists.
    Duration every =
        settings.heartbeatEvery != null
            ? settings.heartbeatEvery
            : Duration.ofMinutes(subscription.statusFrequency);
    subscription.heartbeats =
        sender.scheduleWithFixedDelay(
            subscription::heartbeat, 50, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private @Nullable String invalidPush(Element push) {
    NodeList folders = push.getElementsByTagNameNS(TYPES, "*");
    boolean inbox = false;
    for (int i = 0; i < folders.getLength(); i++) {
      Element folder = (Element) folders.item(i);
      if (("DistinguishedFolderId".equals(folder.getLocalName())
              && "inbox".equals(folder.getAttribute("Id")))
          || ("FolderId".equals(folder.getLocalName())
              && inboxFolderId.equals(folder.getAttribute("Id")))) {
        inbox = true;
      }
    }
    if (!inbox) {
      return "no Inbox in FolderIds";
    }
    if (first(push, TYPES, "EventType") == null) {
      return "no EventTypes";
    }
    int frequency;
    try {
      frequency = Integer.parseInt(text(push, TYPES, "StatusFrequency"));
    } catch (RuntimeException e) {
      return "no StatusFrequency";
    }
    if (frequency < 1 || frequency > 1440) {
      return "StatusFrequency out of 1..1440";
    }
    try {
      URI url = URI.create(text(push, TYPES, "URL"));
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        return "URL is not http(s)";
      }
    } catch (RuntimeException e) {
      return "no valid URL";
    }
    return null;
  }

  private byte[] unsubscribe(Element operation) {
    String id = text(operation, MESSAGES, "SubscriptionId");
    String code =
        subscriptions.containsKey(id) ? "ErrorInvalidSubscription" : "ErrorSubscriptionNotFound";
    return envelope(
        "<m:UnsubscribeResponse><m:ResponseMessages>"
            + error(
                "UnsubscribeResponseMessage",
                code,
                "Unsubscribe ends pull and streaming subscriptions only")
            + "</m:ResponseMessages></m:UnsubscribeResponse>");
  }

  private byte[] createItem(Element operation) {
    String disposition = operation.getAttribute("MessageDisposition");
    boolean sent = disposition.startsWith("Send");
    NodeList addresses = operation.getElementsByTagNameNS(TYPES, "EmailAddress");
    boolean toMailbox = false;
    for (int i = 0; i < addresses.getLength(); i++) {
      if (settings.mailbox != null
          && settings.mailbox.equalsIgnoreCase(addresses.item(i).getTextContent().strip())) {
        toMailbox = true;
      }
    }
    if (sent && toMailbox) {
      deliverMail();
    }
    return envelope(
        "<m:CreateItemResponse><m:ResponseMessages><m:CreateItemResponseMessage ResponseClass=\"Success\">"
            + "<m:ResponseCode>NoError</m:ResponseCode><m:Items/></m:CreateItemResponseMessage>"
            + "</m:ResponseMessages></m:CreateItemResponse>");
  }

  private byte[] subscribeError(String code, String text) {
    return envelope(
        "<m:SubscribeResponse><m:ResponseMessages>"
            + error("SubscribeResponseMessage", code, text)
            + "</m:ResponseMessages></m:SubscribeResponse>");
  }

  private static String error(String element, String code, String text) {
    return "<m:"
        + element
        + " ResponseClass=\"Error\"><m:MessageText>"
        + text
        + "</m:MessageText><m:ResponseCode>"
        + code
        + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:"
        + element
        + ">";
  }

  private byte[] envelope(String body) {
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<s:Envelope xmlns:s=\""
            + SOAP
            + "\"><s:Header><h:ServerVersionInfo xmlns:h=\""
            + TYPES
            + "\" MajorVersion=\""
            + settings.majorVersion
            + "\" MinorVersion=\""
            + settings.minorVersion
            + "\" MajorBuildNumber=\"2507\" MinorBuildNumber=\"6\" Version=\"V2017_07_11\"/>"
            + "</s:Header><s:Body xmlns:m=\""
            + MESSAGES
            + "\" xmlns:t=\""
            + TYPES
            + "\">"
            + body
            + "</s:Body></s:Envelope>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] fault(String code, String text) {
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\""
            + SOAP
            + "\"><s:Body><s:Fault><faultcode xmlns:a=\""
            + TYPES
            + "\">a:"
            + code
            + "</faultcode><faultstring xml:lang=\"en-US\">"
            + text
            + "</faultstring><detail><e:ResponseCode xmlns:e=\""
            + "http://schemas.microsoft.com/exchange/services/2006/errors\">"
            + code
            + "</e:ResponseCode><e:Message xmlns:e=\""
            + "http://schemas.microsoft.com/exchange/services/2006/errors\">"
            + text
            + "</e:Message></detail></s:Fault></s:Body></s:Envelope>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void answer(HttpExchange exchange, String operation, int status, byte[] body)
      throws IOException {
    operations.add(new Operation(operation, status));
    if (body.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private void awaitClosing() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- notifications --------------------------------------------------------------------------

  /** A push subscription and its notification state; touched only on the sender thread. */
  private final class Subscription {
    final String id;
    final URI url;
    final int statusFrequency;
    String watermark = EwsPayloads.newWatermark();
    volatile boolean ended;
    volatile @Nullable ScheduledFuture<?> heartbeats;

    Subscription(String id, URI url, int statusFrequency) {
      this.id = id;
      this.url = url;
      this.statusFrequency = statusFrequency;
    }

    void heartbeat() {
      send(
          "StatusEvent",
          EwsPayloads.notification(id).previousWatermark(watermark).status(watermark));
    }

    void newMail(int unreadCount) {
      String item = "AAMkAGFakeItem" + UUID.randomUUID().toString().replace("-", "");
      send(
          "NewMailEvent",
          EwsPayloads.notification(id)
              .previousWatermark(watermark)
              .itemCreated(item, inboxFolderId)
              .newMail(item, inboxFolderId)
              .folderModified(inboxFolderId, unreadCount));
    }

    private void send(String kind, EwsPayloads payload) {
      if (ended) {
        return;
      }
      if (settings.failure == Failure.NOTIFICATIONS_BLOCKED) {
        notifications.add(new Notification(id, kind, 0, null, java.time.Instant.now()));
        return;
      }
      java.time.Instant sentAt = java.time.Instant.now();
      byte[] body = payload.build();
      String last = payload.lastWatermark();
      int status = 0;
      String answered = null;
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        status = response.statusCode();
        Matcher matcher = STATUS.matcher(response.body());
        answered = matcher.find() ? matcher.group(1) : null;
      } catch (IOException e) {
        // Not sent: Exchange would log event 6 and retry later.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      notifications.add(new Notification(id, kind, status, answered, sentAt));
      if (status == 200 && last != null) {
        watermark = last;
      }
      if (status == 200 && "Unsubscribe".equals(answered)) {
        ended = true;
        if (heartbeats != null) {
          heartbeats.cancel(false);
        }
      }
    }
  }

  // ---- XML ------------------------------------------------------------------------------------

  private static Element operationOf(byte[] body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    DocumentBuilder builder = factory.newDocumentBuilder();
    try (InputStream in = new ByteArrayInputStream(body)) {
      Document document = builder.parse(in);
      Element soapBody = first(document.getDocumentElement(), SOAP, "Body");
      if (soapBody == null) {
        throw new IllegalArgumentException("no SOAP body");
      }
      NodeList children = soapBody.getChildNodes();
      for (int i = 0; i < children.getLength(); i++) {
        if (children.item(i) instanceof Element element
            && MESSAGES.equals(element.getNamespaceURI())) {
          return element;
        }
      }
      throw new IllegalArgumentException("no EWS operation in the body");
    }
  }

  private static @Nullable Element first(Element parent, String namespace, String name) {
    NodeList found = parent.getElementsByTagNameNS(namespace, name);
    return found.getLength() == 0 ? null : (Element) found.item(0);
  }

  private static String text(Element parent, String namespace, String name) {
    Element element = first(parent, namespace, name);
    if (element == null) {
      throw new IllegalArgumentException("no " + name);
    }
    return element.getTextContent().strip();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** How the fake is set up; every setting has a default but the credentials. */
  public static final class Builder {
    private @Nullable X509Bundle certificate;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable String bearerToken;
    private @Nullable String mailbox;
    private Failure failure = Failure.NONE;
    private String subscribeError = "ErrorExceededSubscriptionCount";
    private @Nullable Duration heartbeatEvery;
    private int majorVersion = 15;
    private int minorVersion = 1;

    private Builder() {}

    /** Serve HTTPS with this certificate (and its chain); without it, plain HTTP. */
    public Builder tls(X509Bundle certificate) {
      this.certificate = certificate;
      return this;
    }

    /** Accept HTTP Basic with this user and password. */
    public Builder basic(String user, String password) {
      this.user = user;
      this.password = password;
      this.bearerToken = null;
      return this;
    }

    /** Accept {@code Authorization: Bearer token} (Exchange Online's OAuth2). */
    public Builder bearer(String token) {
      this.bearerToken = token;
      return this;
    }

    /** The mailbox's SMTP address: a message sent to it is delivered to its Inbox. */
    public Builder mailbox(String address) {
      this.mailbox = address;
      return this;
    }

    public Builder failure(Failure failure) {
      this.failure = failure;
      return this;
    }

    /** The EWS ResponseCode of {@link Failure#SUBSCRIBE_ERROR}. */
    public Builder subscribeError(String responseCode) {
      this.subscribeError = responseCode;
      return this;
    }

    /** Heartbeats this often instead of every StatusFrequency minutes. */
    public Builder heartbeatEvery(Duration every) {
      this.heartbeatEvery = every;
      return this;
    }

    /** The version in {@code ServerVersionInfo}; 15.1 (Exchange 2016) by default. */
    public Builder version(int major, int minor) {
      this.majorVersion = major;
      this.minorVersion = minor;
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IllegalStateException without credentials, or if it cannot bind
     */
    public FakeEwsServer start() {
      if (bearerToken == null && (user == null || password == null)) {
        throw new IllegalStateException("give the fake EWS server basic() or bearer() credentials");
      }
      try {
        return new FakeEwsServer(this);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot start the fake EWS server", e);
      }
    }
  }

  @Override
  public String toString() {
    List<String> live = new ArrayList<>(liveSubscriptions());
    return "FakeEwsServer[" + url() + ", live subscriptions " + live.size() + "]";
  }
}
