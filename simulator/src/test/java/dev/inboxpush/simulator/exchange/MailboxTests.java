package dev.inboxpush.simulator.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Each POST a mailbox makes, read back as XML by namespace: what the simulator expects of it (the
 * count, a wake-up) is what the badge rules say of its events, and the watermark chain holds.
 */
class MailboxTests {

  private static final String M = "http://schemas.microsoft.com/exchange/services/2006/messages";
  private static final String T = "http://schemas.microsoft.com/exchange/services/2006/types";

  @Test
  void theExpectedCountIsTheNewestInboxFolderEventsAndTheChainIsUnbroken() throws Exception {
    Mailbox mailbox = new Mailbox("test", new Random(7), 0.2);
    String previousLast = null;
    Set<String> kinds = new HashSet<>();
    int withoutCount = 0;
    for (int i = 0; i < 400; i++) {
      for (Post post : mailbox.change()) {
        kinds.add(post.kind());
        Element notification = notification(post.body());
        assertThat(text(notification, "SubscriptionId")).isEqualTo(mailbox.subscriptionId());
        if (previousLast != null) {
          assertThat(text(notification, "PreviousWatermark")).isEqualTo(previousLast);
        }
        Integer newest = null;
        boolean inboxEvent = false;
        boolean newMail = false;
        List<String> watermarks = new ArrayList<>();
        for (Node child = notification.getFirstChild();
            child != null;
            child = child.getNextSibling()) {
          if (!(child instanceof Element event) || !T.equals(event.getNamespaceURI())) {
            continue;
          }
          String name = event.getLocalName();
          if (name.endsWith("Event")) {
            watermarks.add(text(event, "Watermark"));
          }
          if (name.equals("NewMailEvent")) {
            newMail = true;
          }
          if (name.equals("ModifiedEvent")
              && first(event, "FolderId") != null
              && mailbox.inboxFolderId().equals(first(event, "FolderId").getAttribute("Id"))) {
            inboxEvent = true;
            Element count = first(event, "UnreadCount");
            newest = count == null ? null : Integer.valueOf(count.getTextContent());
          }
        }
        assertThat(post.inboxCount()).isEqualTo(newest);
        assertThat(post.wakes()).isEqualTo(newest == null && (inboxEvent || newMail));
        assertThat(new HashSet<>(watermarks)).hasSameSizeAs(watermarks);
        if (newest == null && inboxEvent) {
          withoutCount++;
        }
        if (newest != null && !text(notification, "MoreEvents").equals("true")) {
          assertThat(newest).isEqualTo(mailbox.unreadCount());
        }
        previousLast = watermarks.get(watermarks.size() - 1);
      }
    }
    assertThat(kinds)
        .contains("new-mail", "read", "unread", "move", "child-folder", "delete", "more-events");
    assertThat(withoutCount).isPositive();
  }

  @Test
  void heartbeatsRepeatTheWatermarkAndTheErrorFormNamesTheSubscription() throws Exception {
    Mailbox mailbox = new Mailbox("hb", new Random(1), 0);
    Post heartbeat = mailbox.heartbeat();
    Element status = first(notification(heartbeat.body()), "StatusEvent");
    assertThat(text(status, "Watermark"))
        .isEqualTo(text(notification(heartbeat.body()), "PreviousWatermark"));
    assertThat(heartbeat.inboxCount()).isNull();
    assertThat(heartbeat.wakes()).isFalse();

    Post failure = mailbox.failure();
    Document error = parse(failure.body());
    Element message =
        (Element) error.getElementsByTagNameNS(M, "SendNotificationResponseMessage").item(0);
    assertThat(message.getAttribute("ResponseClass")).isEqualTo("Error");
    assertThat(error.getElementsByTagNameNS(M, "Notification").getLength()).isZero();
    assertThat(error.getElementsByTagNameNS(T, "Value").item(0).getTextContent())
        .isEqualTo(mailbox.subscriptionId());
    assertThat(failure.failure()).isTrue();

    String before = mailbox.subscriptionId();
    mailbox.resubscribe();
    assertThat(mailbox.subscriptionId()).isNotEqualTo(before);
  }

  private static Element notification(byte[] body) throws Exception {
    return (Element) parse(body).getElementsByTagNameNS(M, "Notification").item(0);
  }

  private static Document parse(byte[] body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
  }

  private static @Nullable Element first(Element parent, String localName) {
    NodeList nodes = parent.getElementsByTagNameNS(T, localName);
    return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
  }

  private static String text(Element parent, String localName) {
    Element element = first(parent, localName);
    assertThat(element).as(localName).isNotNull();
    return element.getTextContent();
  }
}
