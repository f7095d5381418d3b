package dev.inboxpush.listener.ews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The example payloads of the README's walk-through ({@code local/examples/}, posted with curl to a
 * local stack) run through the real parser, so that an example that stops parsing, or stops meaning
 * what the README says it means (new mail with the Inbox count 7, a heartbeat, the error form),
 * fails here rather than in a reader's terminal. The walk-through binds {@value #SUBSCRIPTION} and
 * {@value #INBOX} literally.
 */
class LocalExamplesTests {

  private static final Path EXAMPLES = Path.of("../local/examples");

  private static final String SUBSCRIPTION = "EXAMPLE-SUBSCRIPTION-ID";
  private static final String INBOX = "EXAMPLE-INBOX-FOLDER-ID";

  private static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
  private static final String MESSAGES =
      "http://schemas.microsoft.com/exchange/services/2006/messages";

  private final SendNotificationParser parser = new SendNotificationParser(ParserLimits.DEFAULTS);

  @Test
  void newMailCarriesTheInboxCountSeven() throws Exception {
    SendNotification parsed = parse("new-mail.xml");

    assertThat(Corpus.render(parsed))
        .isEqualTo(
            """
            version Exchange2016
            notification subscription=EXAMPLE-SUBSCRIPTION-ID previous=EXAMPLE-WATERMARK-0001 more=false
              NewMail item=EXAMPLE-ITEM-ID-0001 parent=EXAMPLE-INBOX-FOLDER-ID unread=- old=- oldParent=- watermark=EXAMPLE-WATERMARK-0002 time=2026-03-02T08:14:51Z
              Modified folder=EXAMPLE-INBOX-FOLDER-ID parent=EXAMPLE-ROOT-FOLDER-ID unread=7 old=- oldParent=- watermark=EXAMPLE-WATERMARK-0003 time=2026-03-02T08:14:51Z
            """);
    assertThat(inboxCount(parsed)).isEqualTo(7);
  }

  @Test
  void theHeartbeatIsAStatusEventOnly() throws Exception {
    SendNotification parsed = parse("heartbeat.xml");

    assertThat(Corpus.render(parsed))
        .isEqualTo(
            """
            version Exchange2016
            notification subscription=EXAMPLE-SUBSCRIPTION-ID previous=EXAMPLE-WATERMARK-0003 more=false
              Status watermark=EXAMPLE-WATERMARK-0004
            """);
  }

  @Test
  void theSecondNewMailHasNewWatermarksAndTheCountEight() throws Exception {
    SendNotification parsed = parse("new-mail-2.xml");

    assertThat(Corpus.render(parsed))
        .isEqualTo(
            """
            version Exchange2016
            notification subscription=EXAMPLE-SUBSCRIPTION-ID previous=EXAMPLE-WATERMARK-0004 more=false
              NewMail item=EXAMPLE-ITEM-ID-0002 parent=EXAMPLE-INBOX-FOLDER-ID unread=- old=- oldParent=- watermark=EXAMPLE-WATERMARK-0005 time=2026-03-02T08:44:07Z
              Modified folder=EXAMPLE-INBOX-FOLDER-ID parent=EXAMPLE-ROOT-FOLDER-ID unread=8 old=- oldParent=- watermark=EXAMPLE-WATERMARK-0006 time=2026-03-02T08:44:07Z
            """);
    assertThat(inboxCount(parsed)).isEqualTo(8);
  }

  @Test
  void theErrorFormNamesTheSubscriptionAndHasNoNotification() throws Exception {
    SendNotification parsed = parse("subscription-failed.xml");

    assertThat(parsed.messages())
        .containsExactly(
            new SubscriptionFailure("ErrorReadEventsFailed", SubscriptionId.of(SUBSCRIPTION)));
  }

  /**
   * The walk-through posts new mail, then (to the Android device) the heartbeat and the second new
   * mail: each one's PreviousWatermark is the newest watermark before it, as Exchange chains them,
   * and no two have the same newest watermark, so the listener never skips one as a retry of
   * another (README, rule 7).
   */
  @Test
  void theExamplesFormOneWatermarkChain() throws Exception {
    List<Notification> chain =
        Stream.of("new-mail.xml", "heartbeat.xml", "new-mail-2.xml")
            .map(this::notificationOf)
            .toList();

    for (int i = 1; i < chain.size(); i++) {
      assertThat(chain.get(i).previousWatermark())
          .as("PreviousWatermark of example %d", i + 1)
          .isEqualTo(chain.get(i - 1).newestWatermark().orElseThrow());
    }
    assertThat(chain)
        .extracting(n -> n.newestWatermark().map(Watermark::value).orElseThrow())
        .doesNotHaveDuplicates();
  }

  /** The Subscribe sample for app developers: well-formed, and what the README says it asks. */
  @Test
  void theSubscribeRequestAsksForTheInboxTheTwoEventTypesAndAStatusFrequency() throws Exception {
    Document subscribe = dom("subscribe-request.xml");

    Element request =
        (Element) subscribe.getElementsByTagNameNS(MESSAGES, "PushSubscriptionRequest").item(0);
    assertThat(request).isNotNull();
    Element folder =
        (Element) request.getElementsByTagNameNS(TYPES, "DistinguishedFolderId").item(0);
    assertThat(folder.getAttribute("Id")).isEqualTo("inbox");
    assertThat(texts(request, "EventType")).containsExactly("NewMailEvent", "ModifiedEvent");
    assertThat(Integer.parseInt(texts(request, "StatusFrequency").get(0))).isBetween(1, 1440);
    assertThat(texts(request, "URL")).singleElement().asString().contains("/ews/v1/");
  }

  @Test
  void theGetFolderRequestAsksForTheInboxId() throws Exception {
    Document getFolder = dom("get-inbox-folder-id.xml");

    assertThat(
            getFolder
                .getDocumentElement()
                .getElementsByTagNameNS(MESSAGES, "GetFolder")
                .getLength())
        .isEqualTo(1);
    assertThat(texts(getFolder.getDocumentElement(), "BaseShape")).containsExactly("IdOnly");
    Element folder =
        (Element) getFolder.getElementsByTagNameNS(TYPES, "DistinguishedFolderId").item(0);
    assertThat(folder.getAttribute("Id")).isEqualTo("inbox");
  }

  /** A new example file must get a test here too: nothing in the folder goes unchecked. */
  @Test
  void everyExampleFileIsCheckedHere() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".xml")))
          .containsExactlyInAnyOrder(
              "new-mail.xml",
              "heartbeat.xml",
              "new-mail-2.xml",
              "subscription-failed.xml",
              "subscribe-request.xml",
              "get-inbox-folder-id.xml");
    }
  }

  private SendNotification parse(String file) throws IOException, EwsParseException {
    return parser.parse(Files.readAllBytes(EXAMPLES.resolve(file)));
  }

  private Notification notificationOf(String file) {
    try {
      NotificationMessage message = parse(file).messages().get(0);
      assertThat(message).isInstanceOf(Notification.class);
      Notification notification = (Notification) message;
      assertThat(notification.subscriptionId().value()).isEqualTo(SUBSCRIPTION);
      return notification;
    } catch (IOException | EwsParseException e) {
      throw new AssertionError(file + " does not parse", e);
    }
  }

  /** The count of the Inbox's own folder ModifiedEvent: what the badge rules take. */
  private static Integer inboxCount(SendNotification parsed) {
    assertThat(parsed.messages()).hasSize(1);
    Notification notification = (Notification) parsed.messages().get(0);
    assertThat(notification.subscriptionId().value()).isEqualTo(SUBSCRIPTION);
    return notification.events().stream()
        .filter(e -> e instanceof ChangeEvent)
        .map(e -> (ChangeEvent) e)
        .filter(e -> e.kind() == EventKind.MODIFIED && e.concernsFolder(FolderId.of(INBOX)))
        .reduce((first, second) -> second)
        .map(ChangeEvent::unreadCount)
        .orElseThrow();
  }

  private static Document dom(String file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(EXAMPLES.resolve(file).toFile());
  }

  private static List<String> texts(Element scope, String typesLocalName) {
    var nodes = scope.getElementsByTagNameNS(TYPES, typesLocalName);
    return IntStream.range(0, nodes.getLength())
        .mapToObj(i -> nodes.item(i).getTextContent().trim())
        .toList();
  }
}
