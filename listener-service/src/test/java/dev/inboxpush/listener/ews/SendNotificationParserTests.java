package dev.inboxpush.listener.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.listener.ews.EwsParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SendNotificationParserTests {

  private final SendNotificationParser parser = new SendNotificationParser(ParserLimits.DEFAULTS);

  static Stream<String> corpus() {
    return Corpus.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyCorpusPayloadParsesToItsExpectedRecords(String name) throws EwsParseException {
    SendNotification parsed = parser.parse(Corpus.payload(name));

    assertThat(Corpus.render(parsed)).isEqualTo(Corpus.expected(name));
  }

  @Test
  void aFolderModifiedEventWithoutCountHasNoCountNotZero() throws EwsParseException {
    Notification notification =
        (Notification)
            parser.parse(Corpus.payload("inbox-modified-without-count")).messages().get(0);

    ChangeEvent event = (ChangeEvent) notification.events().get(0);
    assertThat(event.unreadCount()).isNull();
  }

  @Test
  void newestWatermarkIsTheLastEventThatCarriesOne() throws EwsParseException {
    Notification notification =
        (Notification) parser.parse(Corpus.payload("more-events-first")).messages().get(0);

    assertThat(notification.newestWatermark())
        .hasValueSatisfying(w -> assertThat(w.value()).contains("0013"));
    assertThat(notification.moreEvents()).isTrue();
  }

  private static byte[] bytes(String xml) {
    return xml.getBytes(StandardCharsets.UTF_8);
  }

  private static String wrap(String notificationBody) {
    return "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
        + "<m:SendNotification xmlns:m='http://schemas.microsoft.com/exchange/services/2006/messages'"
        + " xmlns:t='http://schemas.microsoft.com/exchange/services/2006/types'><m:ResponseMessages>"
        + "<m:SendNotificationResponseMessage ResponseClass='Success'><m:ResponseCode>NoError</m:ResponseCode>"
        + "<m:Notification>"
        + notificationBody
        + "</m:Notification></m:SendNotificationResponseMessage></m:ResponseMessages>"
        + "</m:SendNotification></s:Body></s:Envelope>";
  }

  static Stream<Arguments> refusedBodies() {
    String lol =
        "<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
            + "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>";
    return Stream.of(
        Arguments.of("empty", "", Reason.MALFORMED),
        Arguments.of("whitespace only", "   \n", Reason.MALFORMED),
        Arguments.of("JSON", "{\"value\":[{\"subscriptionId\":\"x\"}]}", Reason.MALFORMED),
        Arguments.of("truncated", wrap("<t:SubscriptionId>abc</t:Subscr"), Reason.MALFORMED),
        Arguments.of(
            "unclosed",
            "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'>",
            Reason.MALFORMED),
        Arguments.of(
            "external entity (file)",
            "<!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
                + wrap("<t:SubscriptionId>&xxe;</t:SubscriptionId>"),
            Reason.FORBIDDEN_CONSTRUCT),
        Arguments.of(
            "external entity (URL)",
            "<!DOCTYPE x [<!ENTITY xxe SYSTEM 'http://127.0.0.1:1/x'>]>"
                + wrap("<t:SubscriptionId>&xxe;</t:SubscriptionId>"),
            Reason.FORBIDDEN_CONSTRUCT),
        Arguments.of(
            "parameter entity",
            "<!DOCTYPE x [<!ENTITY % p SYSTEM 'http://127.0.0.1:1/p.dtd'> %p;]>"
                + wrap("<t:SubscriptionId>a</t:SubscriptionId>"),
            Reason.FORBIDDEN_CONSTRUCT),
        Arguments.of(
            "external DTD",
            "<!DOCTYPE x SYSTEM 'http://127.0.0.1:1/x.dtd'>"
                + wrap("<t:SubscriptionId>a</t:SubscriptionId>"),
            Reason.FORBIDDEN_CONSTRUCT),
        Arguments.of(
            "billion laughs",
            lol + wrap("<t:SubscriptionId>&lol3;</t:SubscriptionId>"),
            Reason.FORBIDDEN_CONSTRUCT),
        Arguments.of(
            "undeclared entity",
            wrap("<t:SubscriptionId>&nope;</t:SubscriptionId>"),
            Reason.FORBIDDEN_CONSTRUCT),
        Arguments.of(
            "deep nesting", wrap("<x>".repeat(100) + "</x>".repeat(100)), Reason.LIMIT_EXCEEDED),
        Arguments.of(
            "huge attribute",
            wrap("<t:SubscriptionId a='" + "A".repeat(100_000) + "'>x</t:SubscriptionId>"),
            Reason.LIMIT_EXCEEDED),
        Arguments.of("too many elements", wrap("<x/>".repeat(60_000)), Reason.LIMIT_EXCEEDED),
        Arguments.of(
            "SOAP fault",
            "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body><s:Fault>"
                + "<faultcode>s:Server</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>",
            Reason.NOT_SEND_NOTIFICATION),
        Arguments.of("not an envelope", "<SendNotification/>", Reason.NOT_SEND_NOTIFICATION),
        Arguments.of(
            "envelope by prefix only",
            "<soap:Envelope xmlns:soap='urn:not-soap'><soap:Body/></soap:Envelope>",
            Reason.NOT_SEND_NOTIFICATION),
        Arguments.of(
            "another EWS message",
            "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
                + "<m:GetEvents xmlns:m='http://schemas.microsoft.com/exchange/services/2006/messages'/></s:Body></s:Envelope>",
            Reason.NOT_SEND_NOTIFICATION),
        Arguments.of(
            "no subscription id", wrap("<t:MoreEvents>false</t:MoreEvents>"), Reason.INVALID_VALUE),
        Arguments.of(
            "control character in subscription id",
            wrap("<t:SubscriptionId>ab&#1;cd</t:SubscriptionId>"),
            Reason.MALFORMED),
        Arguments.of(
            "negative unread count",
            wrap(
                "<t:SubscriptionId>s</t:SubscriptionId><t:ModifiedEvent><t:FolderId Id='f'/>"
                    + "<t:UnreadCount>-1</t:UnreadCount></t:ModifiedEvent>"),
            Reason.INVALID_VALUE),
        Arguments.of(
            "event without target",
            wrap(
                "<t:SubscriptionId>s</t:SubscriptionId><t:NewMailEvent><t:Watermark>w</t:Watermark></t:NewMailEvent>"),
            Reason.INVALID_VALUE),
        Arguments.of(
            "bad MoreEvents",
            wrap("<t:SubscriptionId>s</t:SubscriptionId><t:MoreEvents>maybe</t:MoreEvents>"),
            Reason.INVALID_VALUE),
        Arguments.of(
            "bad TimeStamp",
            wrap(
                "<t:SubscriptionId>s</t:SubscriptionId><t:NewMailEvent><t:TimeStamp>yesterday</t:TimeStamp><t:ItemId Id='i'/></t:NewMailEvent>"),
            Reason.INVALID_VALUE),
        Arguments.of(
            "trailing garbage",
            wrap("<t:SubscriptionId>s</t:SubscriptionId>") + "<x/>",
            Reason.MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBodies")
  void refusedBodiesFailWithTheirReason(String label, String body, Reason reason) {
    assertThatThrownBy(() -> parser.parse(bytes(body)))
        .isInstanceOf(EwsParseException.class)
        .extracting(e -> ((EwsParseException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] body = bytes(wrap("<t:SubscriptionId>abc</t:SubscriptionId>"));
    int at = new String(body, StandardCharsets.UTF_8).indexOf("abc");
    body[at] = (byte) 0xC3;
    body[at + 1] = (byte) 0x28;

    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(EwsParseException.class)
        .extracting(e -> ((EwsParseException) e).reason())
        .isEqualTo(Reason.MALFORMED);
  }

  @Test
  void tooManyEventsAreRefused() {
    SendNotificationParser strict =
        new SendNotificationParser(new ParserLimits(32, 50_000, 4_096, 65_536, 10));

    assertThatThrownBy(() -> strict.parse(Corpus.payload("more-events-500")))
        .isInstanceOf(EwsParseException.class)
        .hasMessage("more than 10 events in one body");
  }

  @Test
  void errorMessagesNeverQuoteTheInput() {
    String secret = "SECRET-SUBSCRIPTION-" + "x".repeat(2000);

    assertThatThrownBy(
            () -> parser.parse(bytes(wrap("<t:SubscriptionId>" + secret + "</t:SubscriptionId>"))))
        .isInstanceOf(EwsParseException.class)
        .hasMessageNotContaining("SECRET");
  }
}
