package dev.inboxpush.simulator.ews;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@code SendNotification} bodies in the shape Exchange 2016 sends them (SOAP 1.1 with a
 * {@code RequestServerVersion} header, {@code m:}/{@code t:} prefixes, events in mailbox order,
 * each with its own watermark given by the caller, who keeps the subscription's chain). Text is
 * XML-escaped. Not thread-safe: one builder per body.
 */
public final class Notifications {

  private static final String MESSAGES =
      "http://schemas.microsoft.com/exchange/services/2006/messages";
  private static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";

  private final String subscriptionId;
  private final String previousWatermark;
  private final boolean moreEvents;
  private final StringBuilder events = new StringBuilder();
  private int count;

  private Notifications(String subscriptionId, String previousWatermark, boolean moreEvents) {
    this.subscriptionId = subscriptionId;
    this.previousWatermark = previousWatermark;
    this.moreEvents = moreEvents;
  }

  /**
   * A notification of {@code subscriptionId}; {@code previousWatermark} is the last watermark of
   * the subscription's previous POST (or the one Subscribe returned), {@code moreEvents} whether
   * Exchange has more events queued for the next POST.
   */
  public static Notifications of(
      String subscriptionId, String previousWatermark, boolean moreEvents) {
    return new Notifications(subscriptionId, previousWatermark, moreEvents);
  }

  /** How many events were added. */
  public int events() {
    return count;
  }

  /** A heartbeat: a {@code StatusEvent} with the subscription's current watermark, no time. */
  public Notifications status(String watermark) {
    count++;
    events
        .append("<t:StatusEvent><t:Watermark>")
        .append(escape(watermark))
        .append("</t:Watermark></t:StatusEvent>");
    return this;
  }

  public Notifications newMail(String watermark, String itemId, String parentFolderId) {
    return changed("NewMailEvent", watermark, "ItemId", itemId, parentFolderId, null, null);
  }

  public Notifications itemCreated(String watermark, String itemId, String parentFolderId) {
    return changed("CreatedEvent", watermark, "ItemId", itemId, parentFolderId, null, null);
  }

  public Notifications folderCreated(String watermark, String folderId, String parentFolderId) {
    return changed("CreatedEvent", watermark, "FolderId", folderId, parentFolderId, null, null);
  }

  public Notifications itemModified(String watermark, String itemId, String parentFolderId) {
    return changed("ModifiedEvent", watermark, "ItemId", itemId, parentFolderId, null, null);
  }

  /** A folder's {@code ModifiedEvent}; a null count leaves it out, as Exchange Online does. */
  public Notifications folderModified(
      String watermark, String folderId, String parentFolderId, @Nullable Integer unreadCount) {
    return changed(
        "ModifiedEvent", watermark, "FolderId", folderId, parentFolderId, null, unreadCount);
  }

  public Notifications itemDeleted(String watermark, String itemId, String parentFolderId) {
    return changed("DeletedEvent", watermark, "ItemId", itemId, parentFolderId, null, null);
  }

  /** An item moved from {@code oldParentFolderId} (its id there {@code oldItemId}) to a folder. */
  public Notifications itemMoved(
      String watermark,
      String itemId,
      String parentFolderId,
      String oldItemId,
      String oldParentFolderId) {
    return changed(
        "MovedEvent",
        watermark,
        "ItemId",
        itemId,
        parentFolderId,
        new String[] {oldItemId, oldParentFolderId},
        null);
  }

  /** A copy {@code itemId} in a folder of {@code oldItemId} in {@code oldParentFolderId}. */
  public Notifications itemCopied(
      String watermark,
      String itemId,
      String parentFolderId,
      String oldItemId,
      String oldParentFolderId) {
    return changed(
        "CopiedEvent",
        watermark,
        "ItemId",
        itemId,
        parentFolderId,
        new String[] {oldItemId, oldParentFolderId},
        null);
  }

  public byte[] build() {
    if (count == 0) {
      throw new IllegalStateException("a notification has at least one event");
    }
    return envelope(
        "<m:SendNotificationResponseMessage ResponseClass=\"Success\">"
            + "<m:ResponseCode>NoError</m:ResponseCode><m:Notification><t:SubscriptionId>"
            + escape(subscriptionId)
            + "</t:SubscriptionId><t:PreviousWatermark>"
            + escape(previousWatermark)
            + "</t:PreviousWatermark><t:MoreEvents>"
            + moreEvents
            + "</t:MoreEvents>"
            + events
            + "</m:Notification></m:SendNotificationResponseMessage>");
  }

  /**
   * The error form Exchange sends when it can no longer read a subscription's events: {@code
   * ResponseClass="Error"}, no {@code Notification}, the SubscriptionId in {@code MessageXml}.
   */
  public static byte[] failure(String responseCode, String subscriptionId) {
    return envelope(
        "<m:SendNotificationResponseMessage ResponseClass=\"Error\">"
            + "<m:MessageText>Events for this subscription can no longer be read; create a new"
            + " subscription.</m:MessageText><m:ResponseCode>"
            + escape(responseCode)
            + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:MessageXml>"
            + "<t:Value Name=\"SubscriptionId\">"
            + escape(subscriptionId)
            + "</t:Value></m:MessageXml></m:SendNotificationResponseMessage>");
  }

  private Notifications changed(
      String element,
      String watermark,
      String idElement,
      String id,
      String parentFolderId,
      String @Nullable [] old,
      @Nullable Integer unreadCount) {
    count++;
    events
        .append("<t:")
        .append(element)
        .append("><t:Watermark>")
        .append(escape(watermark))
        .append("</t:Watermark><t:TimeStamp>")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append("</t:TimeStamp><t:")
        .append(idElement)
        .append(" Id=\"")
        .append(escape(id))
        .append("\" ChangeKey=\"CQAAAA==\"/><t:ParentFolderId Id=\"")
        .append(escape(parentFolderId))
        .append("\" ChangeKey=\"AQAAAA==\"/>");
    if (old != null) {
      events
          .append("<t:Old")
          .append(idElement)
          .append(" Id=\"")
          .append(escape(old[0]))
          .append("\" ChangeKey=\"CQAAAA==\"/><t:OldParentFolderId Id=\"")
          .append(escape(old[1]))
          .append("\" ChangeKey=\"AQAAAA==\"/>");
    }
    if (unreadCount != null) {
      events.append("<t:UnreadCount>").append(unreadCount).append("</t:UnreadCount>");
    }
    events.append("</t:").append(element).append('>');
    return this;
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

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
