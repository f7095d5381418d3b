package dev.inboxpush.listener.ews;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The bytes Exchange expects back: a SOAP 1.1 envelope holding {@code SendNotificationResult} with
 * {@code SubscriptionStatus} {@code OK} or {@code Unsubscribe}, sent as {@value #CONTENT_TYPE} with
 * status 200. Also the SOAP fault that carries a 4xx when the body was refused.
 *
 * <p>The two replies are built once; every answer is a shared, immutable byte array. Thread-safe.
 */
public final class SendNotificationReply {

  /** The content type of every reply. */
  public static final String CONTENT_TYPE = "text/xml; charset=utf-8";

  private static final Map<SubscriptionStatus, byte[]> REPLIES =
      new EnumMap<>(SubscriptionStatus.class);

  static {
    for (SubscriptionStatus status : SubscriptionStatus.values()) {
      REPLIES.put(status, envelope(result(status)).getBytes(StandardCharsets.UTF_8));
    }
  }

  private SendNotificationReply() {}

  /** The reply body for {@code status}. Callers must not modify the array. */
  public static byte[] body(SubscriptionStatus status) {
    return REPLIES.get(status);
  }

  /**
   * A SOAP 1.1 {@code soap:Client} fault, for a refused request (a 4xx): the sender must change it.
   * {@code reason} is ours (never text from the request) and is escaped anyway.
   */
  public static byte[] clientFault(String reason) {
    return fault("Client", reason);
  }

  /**
   * A SOAP 1.1 {@code soap:Server} fault, for our own trouble (a 5xx): the sender may retry as it
   * is. {@code reason} is ours and is escaped anyway.
   */
  public static byte[] serverFault(String reason) {
    return fault("Server", reason);
  }

  private static byte[] fault(String code, String reason) {
    String body =
        "<soap:Fault><faultcode>soap:"
            + code
            + "</faultcode><faultstring>"
            + escape(reason)
            + "</faultstring></soap:Fault>";
    return envelope(body).getBytes(StandardCharsets.UTF_8);
  }

  private static String result(SubscriptionStatus status) {
    return "<m:SendNotificationResult xmlns:m=\""
        + EwsNamespaces.MESSAGES
        + "\"><m:SubscriptionStatus>"
        + status.wireValue()
        + "</m:SubscriptionStatus></m:SendNotificationResult>";
  }

  private static String envelope(String body) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        + "<soap:Envelope xmlns:soap=\""
        + EwsNamespaces.SOAP11
        + "\"><soap:Body>"
        + body
        + "</soap:Body></soap:Envelope>";
  }

  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        default -> escaped.append(c < 0x20 ? ' ' : c);
      }
    }
    return escaped.toString();
  }
}
