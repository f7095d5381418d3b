package dev.inboxpush.doctor.ews;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import microsoft.exchange.webservices.data.core.ExchangeServerInfo;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import microsoft.exchange.webservices.data.core.enumeration.notification.EventType;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.core.service.item.EmailMessage;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.notification.PushSubscription;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.property.complex.MessageBody;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link Ews} with ews-java-api 2.0, as an administrator's own EWS client would call it. Two things
 * differ from the library's defaults, both on purpose:
 *
 * <ul>
 *   <li>TLS: connections verify the server's chain with the JDK's PKIX trust manager of {@link
 *       TlsCheck.Trust} and its host name with Apache's {@code DefaultHostnameVerifier}, instead of
 *       the library's trust manager, which accepts any self-signed certificate.
 *   <li>OAuth2: ews-java-api 2.0 has no bearer credential; the token goes into the service's own
 *       extra HTTP headers ({@code getHttpHeaders()}, sent with every request) as {@code
 *       Authorization: Bearer ...}, with no credentials set, so the library adds no other
 *       authentication.
 * </ul>
 *
 * <p>Tracing is off (ews-java-api's trace would print the request headers, the credentials among
 * them). Blocking; one thread at a time; {@link #close()} releases the HTTP client.
 */
public final class JavaApiEws implements Ews {

  private final ExchangeService service;
  private final Clock clock;

  /**
   * @param url the EWS endpoint, {@code https://<host>/EWS/Exchange.asmx}
   * @param credentials Basic or bearer
   * @param trust the authorities the server's certificate must chain to
   * @param timeout for connecting and for each answer
   */
  public JavaApiEws(
      URI url, EwsCredentials credentials, TlsCheck.Trust trust, Duration timeout, Clock clock) {
    this.clock = clock;
    this.service = VerifiedExchangeService.create(trust.sslContext());
    service.setUrl(url);
    service.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    service.setTraceEnabled(false);
    if (credentials instanceof EwsCredentials.Basic basic) {
      service.setCredentials(new WebCredentials(basic.user(), basic.password()));
    } else if (credentials instanceof EwsCredentials.Bearer bearer) {
      service.getHttpHeaders().put("Authorization", "Bearer " + bearer.token());
    }
  }

  @Override
  public EwsResult<Mailbox> openInbox() {
    try {
      Folder inbox = Folder.bind(service, WellKnownFolderName.Inbox, PropertySet.IdOnly);
      return new EwsResult.Ok<>(new Mailbox(inbox.getId().getUniqueId(), version()));
    } catch (Exception e) {
      return failed(e);
    }
  }

  @Override
  public EwsResult<String> subscribe(String inboxFolderId, URI callbackUrl, int statusFrequency) {
    try {
      PushSubscription subscription =
          service.subscribeToPushNotifications(
              List.of(new FolderId(inboxFolderId)),
              callbackUrl,
              statusFrequency,
              null,
              EventType.NewMail,
              EventType.Modified);
      return new EwsResult.Ok<>(subscription.getId());
    } catch (Exception e) {
      return failed(e);
    }
  }

  @Override
  public EwsResult<Instant> sendTestMessage(String address) {
    try {
      EmailMessage message = new EmailMessage(service);
      message.setSubject("inbox-push doctor: test message");
      message.setBody(
          MessageBody.getMessageBodyFromText(
              "Sent by the inbox-push doctor to check that new mail reaches the push listener."
                  + " You may delete it."));
      message.getToRecipients().add(address);
      Instant sent = clock.instant();
      message.send();
      return new EwsResult.Ok<>(sent);
    } catch (Exception e) {
      return failed(e);
    }
  }

  /**
   * The failure, with Exchange Online's reason for a refused token when it gave one: its {@code
   * x-ms-diagnostics} header (such as {@code 2000008;reason="The token has expired."}), Exchange's
   * own words, which hold no secret.
   */
  private <T> EwsResult<T> failed(Exception e) {
    EwsResult.Failed<T> failed = EwsErrors.classify(e);
    if (failed.problem() != EwsProblem.CREDENTIALS_REFUSED) {
      return failed;
    }
    for (Map.Entry<String, String> header : service.getHttpResponseHeaders().entrySet()) {
      if ("x-ms-diagnostics".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
        String reason = header.getValue().replaceAll("\\s+", " ").strip();
        return new EwsResult.Failed<>(
            failed.problem(),
            failed.detail()
                + " (x-ms-diagnostics: "
                + (reason.length() > 200 ? reason.substring(0, 200) + "..." : reason)
                + ")");
      }
    }
    return failed;
  }

  /** Exchange's version from the last answer's {@code ServerVersionInfo} header. */
  private String version() {
    ExchangeServerInfo info = service.getServerInfo();
    if (info == null) {
      return "unknown (no ServerVersionInfo in the answer)";
    }
    return ExchangeVersions.describe(
        info.getMajorVersion(),
        info.getMinorVersion(),
        info.getMajorBuildNumber(),
        info.getMinorBuildNumber());
  }

  @Override
  public void close() {
    service.close();
  }

  /**
   * An {@link ExchangeService} whose HTTPS connections verify the server. ews-java-api builds its
   * HTTP client in the base constructor through the overridable {@code
   * createConnectionSocketFactoryRegistry()}, before a subclass's fields exist, so the TLS context
   * is handed over in a thread-local for the length of the constructor call.
   */
  private static final class VerifiedExchangeService extends ExchangeService {
    private static final ThreadLocal<SSLContext> CONSTRUCTING = new ThreadLocal<>();
    private @Nullable SSLContext context;

    private VerifiedExchangeService() {
      super(ExchangeVersion.Exchange2010_SP2);
    }

    static VerifiedExchangeService create(SSLContext context) {
      CONSTRUCTING.set(context);
      try {
        VerifiedExchangeService service = new VerifiedExchangeService();
        service.context = context;
        return service;
      } finally {
        CONSTRUCTING.remove();
      }
    }

    @Override
    protected Registry<ConnectionSocketFactory> createConnectionSocketFactoryRegistry() {
      SSLContext tls = context != null ? context : CONSTRUCTING.get();
      if (tls == null) {
        throw new IllegalStateException("construct through VerifiedExchangeService.create");
      }
      return RegistryBuilder.<ConnectionSocketFactory>create()
          .register("http", PlainConnectionSocketFactory.getSocketFactory())
          .register("https", new SSLConnectionSocketFactory(tls, new DefaultHostnameVerifier()))
          .build();
    }
  }
}
