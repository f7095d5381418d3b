package dev.inboxpush.testsupport.ews;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@code SendNotification} bodies in the shape real Exchange servers send (SOAP 1.1, {@code
 * m:}/{@code t:} prefixes, {@code RequestServerVersion} header). Watermarks are unique per event
 * unless given. Not thread-safe; one builder per body.
 *
 * <pre>{@code
 * byte[] body = EwsPayloads.notification("sub-1").newMail("item-1", inbox).inboxCount(inbox, 7).build();
 * }</pre>
 */
public final class EwsPayloads {

  private static final String MESSAGES =
      "http://schemas.microsoft.com/exchange/services/2006/messages";
  private static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
  private static final AtomicLong WATERMARKS = new AtomicLong(System.nanoTime());

  private final String subscriptionId;
  private final StringBuilder events = new StringBuilder();
  private @Nullable String previousWatermark;
  private boolean moreEvents;
  private @Nullable String lastWatermark;

  private EwsPayloads(String subscriptionId) {
    this.subscriptionId = subscriptionId;
  }

  /** A notification for {@code subscriptionId}. */
  public static EwsPayloads notification(String subscriptionId) {
    return new EwsPayloads(subscriptionId);
  }

  /** A fresh, unique watermark. */
  public static String newWatermark() {
    return "AQAAA" + Long.toString(WATERMARKS.incrementAndGet(), 36) + "==";
  }

  public EwsPayloads previousWatermark(String watermark) {
    this.previousWatermark = watermark;
    return this;
  }

  public EwsPayloads moreEvents(boolean more) {
    this.moreEvents = more;
    return this;
  }

  /** A heartbeat, repeating {@code watermark}. */
  public EwsPayloads status(String watermark) {
    lastWatermark = watermark;
    events
        .append("<t:StatusEvent><t:Watermark>")
        .append(watermark)
        .append("</t:Watermark></t:StatusEvent>");
    return this;
  }

  public EwsPayloads newMail(String itemId, String parentFolderId) {
    return event("NewMailEvent", "ItemId", itemId, parentFolderId, null);
  }

  public EwsPayloads itemCreated(String itemId, String parentFolderId) {
    return event("CreatedEvent", "ItemId", itemId, parentFolderId, null);
  }

  public EwsPayloads itemModified(String itemId, String parentFolderId) {
    return event("ModifiedEvent", "ItemId", itemId, parentFolderId, null);
  }

  /**
   * A folder ModifiedEvent; {@code unreadCount} null leaves the count out (Exchange Online does).
   */
  public EwsPayloads folderModified(String folderId, @Nullable Integer unreadCount) {
    return event("ModifiedEvent", "FolderId", folderId, "root-folder", unreadCount);
  }

  /** The last watermark written, to chain {@link #previousWatermark} of the next POST. */
  public @Nullable String lastWatermark() {
    return lastWatermark;
  }

  private EwsPayloads event(
      String element, String idElement, String id, String parent, @Nullable Integer unreadCount) {
    String watermark = newWatermark();
    lastWatermark = watermark;
    events
        .append("<t:")
        .append(element)
        .append("><t:Watermark>")
        .append(watermark)
        .append("</t:Watermark><t:TimeStamp>2026-11-27T12:00:00Z</t:TimeStamp><t:")
        .append(idElement)
        .append(" Id=\"")
        .append(id)
        .append("\" ChangeKey=\"CQAAAA==\"/><t:ParentFolderId Id=\"")
        .append(parent)
        .append("\" ChangeKey=\"AQAAAA==\"/>");
    if (unreadCount != null) {
      events.append("<t:UnreadCount>").append(unreadCount).append("</t:UnreadCount>");
    }
    events.append("</t:").append(element).append('>');
    return this;
  }

  public byte[] build() {
    String notification =
        "<m:Notification><t:SubscriptionId>"
            + subscriptionId
            + "</t:SubscriptionId>"
            + (previousWatermark == null
                ? ""
                : "<t:PreviousWatermark>" + previousWatermark + "</t:PreviousWatermark>")
            + "<t:MoreEvents>"
            + moreEvents
            + "</t:MoreEvents>"
            + events
            + "</m:Notification>";
    return envelope(
        "<m:SendNotificationResponseMessage ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode>"
            + notification
            + "</m:SendNotificationResponseMessage>");
  }

  /** The error form: no Notification, the SubscriptionId in MessageXml. */
  public static byte[] failure(String responseCode, String subscriptionId) {
    return envelope(
        "<m:SendNotificationResponseMessage ResponseClass=\"Error\"><m:MessageText>failed</m:MessageText>"
            + "<m:ResponseCode>"
            + responseCode
            + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:MessageXml>"
            + "<t:Value Name=\"SubscriptionId\">"
            + subscriptionId
            + "</t:Value></m:MessageXml></m:SendNotificationResponseMessage>");
  }

  private static byte[] envelope(String responseMessages) {
    String xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<soap11:Envelope xmlns:soap11=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<soap11:Header><t:RequestServerVersion xmlns:t=\""
            + TYPES
            + "\" Version=\"Exchange2016\"/></soap11:Header><soap11:Body>"
            + "<m:SendNotification xmlns:m=\""
            + MESSAGES
            + "\" xmlns:t=\""
            + TYPES
            + "\"><m:ResponseMessages>"
            + responseMessages
            + "</m:ResponseMessages></m:SendNotification></soap11:Body></soap11:Envelope>";
    return xml.getBytes(StandardCharsets.UTF_8);
  }
}
