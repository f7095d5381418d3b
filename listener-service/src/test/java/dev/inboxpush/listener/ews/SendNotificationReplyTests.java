package dev.inboxpush.listener.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SendNotificationReplyTests {

  private static final String MESSAGES =
      "http://schemas.microsoft.com/exchange/services/2006/messages";
  private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";

  private static Document xml(byte[] body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
  }

  @Test
  void okIsExactlyTheReplyExchangeExpects() {
    assertThat(
            new String(SendNotificationReply.body(SubscriptionStatus.OK), StandardCharsets.UTF_8))
        .isEqualTo(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<m:SendNotificationResult xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
                + "<m:SubscriptionStatus>OK</m:SubscriptionStatus></m:SendNotificationResult>"
                + "</soap:Body></soap:Envelope>");
  }

  @Test
  void bothRepliesAreSoap11EnvelopesWithTheStatusInTheMessagesNamespace() throws Exception {
    for (SubscriptionStatus status : SubscriptionStatus.values()) {
      Document document = xml(SendNotificationReply.body(status));

      assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(SOAP);
      assertThat(document.getDocumentElement().getLocalName()).isEqualTo("Envelope");
      assertThat(document.getElementsByTagNameNS(MESSAGES, "SendNotificationResult").getLength())
          .isEqualTo(1);
      assertThat(
              document
                  .getElementsByTagNameNS(MESSAGES, "SubscriptionStatus")
                  .item(0)
                  .getTextContent())
          .isEqualTo(status.wireValue());
    }
    assertThat(SubscriptionStatus.UNSUBSCRIBE.wireValue()).isEqualTo("Unsubscribe");
  }

  @Test
  void faultsAreWellFormedAndEscaped() throws Exception {
    Document document = xml(SendNotificationReply.clientFault("a <b> & \"c\"\u0001"));

    assertThat(document.getElementsByTagName("faultcode").item(0).getTextContent())
        .isEqualTo("soap:Client");
    assertThat(document.getElementsByTagName("faultstring").item(0).getTextContent())
        .isEqualTo("a <b> & \"c\" ");
    assertThat(
            xml(SendNotificationReply.serverFault("x"))
                .getElementsByTagName("faultcode")
                .item(0)
                .getTextContent())
        .isEqualTo("soap:Server");
  }

  @Test
  void theReplyIsSharedNotRebuilt() {
    assertThat(SendNotificationReply.body(SubscriptionStatus.OK))
        .isSameAs(SendNotificationReply.body(SubscriptionStatus.OK));
  }
}
