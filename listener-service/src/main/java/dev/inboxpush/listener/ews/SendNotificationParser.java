package dev.inboxpush.listener.ews;

import static dev.inboxpush.listener.ews.EwsNamespaces.MESSAGES;
import static dev.inboxpush.listener.ews.EwsNamespaces.SOAP11;
import static dev.inboxpush.listener.ews.EwsNamespaces.SOAP12;
import static dev.inboxpush.listener.ews.EwsNamespaces.TYPES;

import com.ctc.wstx.api.WstxInputProperties;
import dev.inboxpush.listener.ews.EwsParseException.Reason;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.InvalidValueException;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.model.Watermark;
import java.io.ByteArrayInputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Parses a {@code SendNotification} POST body into {@link SendNotification}.
 *
 * <p>Streaming (StAX, Woodstox) and hardened: DTDs are refused outright, so no entity of any kind
 * (external, parameter, or the billion-laughs family) is ever expanded; depth, element count,
 * attribute size and text length are bounded by {@link ParserLimits} inside the XML reader itself.
 * Elements are matched by namespace URI and local name, never by prefix. Tolerant where Exchange
 * varies: a SOAP 1.1 or 1.2 envelope, any header, unknown elements anywhere (skipped), {@code
 * Notification} in the messages or types namespace, missing {@code PreviousWatermark}, {@code
 * MoreEvents}, {@code UnreadCount}, {@code Watermark} or {@code Notification} (the error form), a
 * byte-order mark, comments and whitespace.
 *
 * <p>Thread-safe and stateless after construction: one instance serves every request. Fails only
 * with {@link EwsParseException}.
 */
public final class SendNotificationParser {

  private final XMLInputFactory factory;
  private final ParserLimits limits;

  public SendNotificationParser(ParserLimits limits) {
    this.limits = limits;
    // Woodstox registers itself as the StAX provider; its limits are what make the reader safe, so
    // refuse to run on any other implementation.
    XMLInputFactory woodstox = XMLInputFactory.newFactory();
    if (!woodstox.getClass().getName().startsWith("com.ctc.wstx.")) {
      throw new IllegalStateException(
          "the EWS parser needs Woodstox as StAX provider, found " + woodstox.getClass().getName());
    }
    woodstox.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    woodstox.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    woodstox.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    woodstox.setProperty(XMLInputFactory.IS_COALESCING, true);
    woodstox.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxDepth());
    woodstox.setProperty(WstxInputProperties.P_MAX_ELEMENT_COUNT, limits.maxElements());
    woodstox.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, limits.maxAttributeSize());
    woodstox.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
    woodstox.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, limits.maxTextLength());
    woodstox.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
    this.factory = woodstox;
  }

  /**
   * Parses one body (raw bytes; the encoding comes from the BOM or declaration, UTF-8 by default).
   */
  public SendNotification parse(byte[] body) throws EwsParseException {
    if (body.length == 0) {
      throw new EwsParseException(Reason.MALFORMED, "the body is empty");
    }
    XMLStreamReader reader = null;
    try {
      reader = factory.createXMLStreamReader(new ByteArrayInputStream(body));
      return new Walk(reader).document();
    } catch (XMLStreamException e) {
      throw classify(e);
    } catch (RuntimeException e) {
      // Defensive: no reader defect may escape as anything but a refusal (the endpoint would
      // answer 500, which Exchange retries for nothing).
      throw new EwsParseException(Reason.MALFORMED, "the body is not well-formed XML", e);
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // nothing was allocated that outlives this call
        }
      }
    }
  }

  private static EwsParseException classify(XMLStreamException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("maximum") || message.contains("limit")) {
      return new EwsParseException(Reason.LIMIT_EXCEEDED, "the body exceeds a parser limit", e);
    }
    if (message.contains("undeclared") && message.contains("entity")) {
      // With DTDs refused, no entity can be declared: any reference but the five predefined ones
      // is an attempt at expansion.
      return new EwsParseException(
          Reason.FORBIDDEN_CONSTRUCT, "entity references are not accepted", e);
    }
    return new EwsParseException(Reason.MALFORMED, "the body is not well-formed XML", e);
  }

  /** One pass over one document. Not thread-safe; one per parse. */
  private final class Walk {

    private final XMLStreamReader reader;
    private int events;

    Walk(XMLStreamReader reader) {
      this.reader = reader;
    }

    SendNotification document() throws XMLStreamException, EwsParseException {
      if (!nextChild()) {
        throw new EwsParseException(Reason.MALFORMED, "the body has no root element");
      }
      String soap = reader.getNamespaceURI();
      if (!"Envelope".equals(reader.getLocalName())
          || !(SOAP11.equals(soap) || SOAP12.equals(soap))) {
        throw notSendNotification("the root element is not a SOAP envelope");
      }
      String serverVersion = null;
      SendNotification result = null;
      while (nextChild()) {
        if (is(soap, "Header")) {
          serverVersion = header();
        } else if (is(soap, "Body")) {
          result = body(soap, serverVersion);
        } else {
          skip();
        }
      }
      if (result == null) {
        throw notSendNotification("the envelope has no body");
      }
      // Anything after the root element is a well-formedness error the reader reports here.
      while (reader.hasNext()) {
        rejectDtd(reader.next());
      }
      return result;
    }

    private @Nullable String header() throws XMLStreamException, EwsParseException {
      String version = null;
      while (nextChild()) {
        if (is(TYPES, "RequestServerVersion")) {
          version = reader.getAttributeValue(null, "Version");
        }
        skip();
      }
      return version;
    }

    private SendNotification body(String soap, @Nullable String serverVersion)
        throws XMLStreamException, EwsParseException {
      SendNotification result = null;
      while (nextChild()) {
        if (result == null && is(MESSAGES, "SendNotification")) {
          result = new SendNotification(serverVersion, sendNotification());
        } else if (is(soap, "Fault")) {
          throw notSendNotification("the body is a SOAP fault, not a SendNotification");
        } else {
          throw notSendNotification("the body holds something other than a SendNotification");
        }
      }
      if (result == null) {
        throw notSendNotification("the body holds no SendNotification");
      }
      return result;
    }

    private List<NotificationMessage> sendNotification()
        throws XMLStreamException, EwsParseException {
      List<NotificationMessage> messages = new ArrayList<>();
      while (nextChild()) {
        if (is(MESSAGES, "ResponseMessages")) {
          while (nextChild()) {
            if (is(MESSAGES, "SendNotificationResponseMessage")) {
              messages.add(responseMessage());
            } else {
              skip();
            }
          }
        } else {
          skip();
        }
      }
      if (messages.isEmpty()) {
        throw notSendNotification("the SendNotification holds no response message");
      }
      return messages;
    }

    private NotificationMessage responseMessage() throws XMLStreamException, EwsParseException {
      String responseClass = reader.getAttributeValue(null, "ResponseClass");
      String responseCode = null;
      SubscriptionId failedSubscription = null;
      Notification notification = null;
      while (nextChild()) {
        if (is(MESSAGES, "ResponseCode")) {
          responseCode = text().trim();
        } else if (is(MESSAGES, "MessageXml")) {
          failedSubscription = messageXml();
        } else if (notification == null
            && "Notification".equals(reader.getLocalName())
            && (MESSAGES.equals(reader.getNamespaceURI())
                || TYPES.equals(reader.getNamespaceURI()))) {
          notification = notification();
        } else {
          skip();
        }
      }
      if (notification != null) {
        return notification;
      }
      if ("Error".equals(responseClass) || "Warning".equals(responseClass)) {
        String code = responseCode == null || responseCode.isEmpty() ? "Unknown" : responseCode;
        if (!code.matches("[A-Za-z0-9_]{1,100}")) {
          throw invalid("ResponseCode is not an EWS response code");
        }
        return new SubscriptionFailure(code, failedSubscription);
      }
      throw notSendNotification("a successful response message holds no Notification");
    }

    private @Nullable SubscriptionId messageXml() throws XMLStreamException, EwsParseException {
      SubscriptionId found = null;
      while (nextChild()) {
        if (is(TYPES, "Value") && "SubscriptionId".equals(reader.getAttributeValue(null, "Name"))) {
          found = value("SubscriptionId", text().trim(), SubscriptionId::of);
        } else {
          skip();
        }
      }
      return found;
    }

    private Notification notification() throws XMLStreamException, EwsParseException {
      SubscriptionId subscriptionId = null;
      Watermark previous = null;
      boolean more = false;
      List<MailboxEvent> found = new ArrayList<>();
      while (nextChildIn(TYPES)) {
        String name = reader.getLocalName();
        switch (name) {
          case "SubscriptionId" -> subscriptionId = value(name, text().trim(), SubscriptionId::of);
          case "PreviousWatermark" -> previous = optionalWatermark(text());
          case "MoreEvents" -> more = bool(name, text());
          default -> {
            Optional<EventKind> kind = EventKind.forElement(name);
            if (kind.isEmpty()) {
              skip();
            } else if (++events > limits.maxEvents()) {
              throw new EwsParseException(
                  Reason.LIMIT_EXCEEDED, "more than " + limits.maxEvents() + " events in one body");
            } else {
              found.add(event(kind.get()));
            }
          }
        }
      }
      if (subscriptionId == null) {
        throw invalid("a Notification has no SubscriptionId");
      }
      return new Notification(subscriptionId, previous, more, found);
    }

    private MailboxEvent event(EventKind kind) throws XMLStreamException, EwsParseException {
      Watermark watermark = null;
      Instant timeStamp = null;
      ObjectRef target = null;
      FolderId parent = null;
      Integer unread = null;
      ObjectRef oldTarget = null;
      FolderId oldParent = null;
      while (nextChildIn(TYPES)) {
        String name = reader.getLocalName();
        switch (name) {
          case "Watermark" -> watermark = optionalWatermark(text());
          case "TimeStamp" -> timeStamp = timeStamp(text());
          case "ItemId" -> target = ObjectRef.item(id(name));
          case "FolderId" -> target = ObjectRef.folder(id(name));
          case "ParentFolderId" -> parent = value(name, id(name), FolderId::of);
          case "UnreadCount" -> unread = count(text());
          case "OldItemId" -> oldTarget = ObjectRef.item(id(name));
          case "OldFolderId" -> oldTarget = ObjectRef.folder(id(name));
          case "OldParentFolderId" -> oldParent = value(name, id(name), FolderId::of);
          default -> skip();
        }
      }
      if (kind == EventKind.STATUS) {
        return new StatusEvent(watermark);
      }
      if (target == null) {
        throw invalid("a " + kind.elementName() + " names no ItemId or FolderId");
      }
      if (!kind.hasOrigin()) {
        oldTarget = null;
        oldParent = null;
      }
      if (kind != EventKind.MODIFIED || !target.folder()) {
        // Only folder ModifiedEvents carry a meaningful count (docs/architecture.md, "Badge
        // rules").
        unread = null;
      }
      return new ChangeEvent(
          kind, watermark, timeStamp, target, parent, unread, oldTarget, oldParent);
    }

    // ---- leaves ---------------------------------------------------------------------------

    /** The {@code Id} attribute of the current element; then skips the element. */
    private String id(String element) throws XMLStreamException, EwsParseException {
      String id = reader.getAttributeValue(null, "Id");
      skip();
      if (id == null || id.isEmpty()) {
        throw invalid(element + " has no Id");
      }
      return value(element, id, FolderId::of).value();
    }

    private @Nullable Watermark optionalWatermark(String text) throws EwsParseException {
      String trimmed = text.trim();
      return trimmed.isEmpty() ? null : value("Watermark", trimmed, Watermark::of);
    }

    private boolean bool(String element, String text) throws EwsParseException {
      return switch (text.trim()) {
        case "true", "1" -> true;
        case "false", "0", "" -> false;
        default -> throw invalid(element + " is not a boolean");
      };
    }

    private int count(String text) throws EwsParseException {
      String trimmed = text.trim();
      if (!trimmed.matches("\\+?[0-9]{1,10}")) {
        throw invalid("UnreadCount is not a non-negative integer");
      }
      long value = Long.parseLong(trimmed);
      if (value > Integer.MAX_VALUE) {
        throw invalid("UnreadCount is out of range");
      }
      return (int) value;
    }

    private @Nullable Instant timeStamp(String text) throws EwsParseException {
      String trimmed = text.trim();
      if (trimmed.isEmpty()) {
        return null;
      }
      if (trimmed.length() > 64) {
        throw invalid("TimeStamp is not an xs:dateTime");
      }
      try {
        return OffsetDateTime.parse(trimmed).toInstant();
      } catch (DateTimeException withoutOffset) {
        try {
          // xs:dateTime without a zone: Exchange means UTC.
          return LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
          throw invalid("TimeStamp is not an xs:dateTime");
        }
      }
    }

    private <T> T value(String element, String text, Parser<T> parser) throws EwsParseException {
      try {
        return parser.parse(text);
      } catch (InvalidValueException e) {
        throw new EwsParseException(Reason.INVALID_VALUE, element + ": " + e.problem());
      }
    }

    // ---- cursor ---------------------------------------------------------------------------

    /**
     * Moves to the next child element of the current element and returns true, or to the current
     * element's end and returns false. Text, comments and processing instructions between elements
     * are passed over.
     */
    private boolean nextChild() throws XMLStreamException, EwsParseException {
      while (reader.hasNext()) {
        int event = reader.next();
        rejectDtd(event);
        if (event == XMLStreamConstants.START_ELEMENT) {
          return true;
        }
        if (event == XMLStreamConstants.END_ELEMENT || event == XMLStreamConstants.END_DOCUMENT) {
          return false;
        }
      }
      return false;
    }

    /** Like {@link #nextChild()}, passing over children outside {@code namespace}. */
    private boolean nextChildIn(String namespace) throws XMLStreamException, EwsParseException {
      while (nextChild()) {
        if (namespace.equals(reader.getNamespaceURI())) {
          return true;
        }
        skip();
      }
      return false;
    }

    /** The text of a leaf element; positions on its end. */
    private String text() throws XMLStreamException {
      return reader.getElementText();
    }

    /** Passes over the current element and everything in it; positions on its end. */
    private void skip() throws XMLStreamException, EwsParseException {
      int depth = 1;
      while (depth > 0 && reader.hasNext()) {
        int event = reader.next();
        rejectDtd(event);
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          depth--;
        }
      }
    }

    private void rejectDtd(int event) throws EwsParseException {
      if (event == XMLStreamConstants.DTD) {
        throw new EwsParseException(Reason.FORBIDDEN_CONSTRUCT, "a DOCTYPE is not accepted");
      }
    }

    private boolean is(String namespace, String localName) {
      return localName.equals(reader.getLocalName()) && namespace.equals(reader.getNamespaceURI());
    }
  }

  private static EwsParseException notSendNotification(String message) {
    return new EwsParseException(Reason.NOT_SEND_NOTIFICATION, message);
  }

  private static EwsParseException invalid(String message) {
    return new EwsParseException(Reason.INVALID_VALUE, message);
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(String text);
  }
}
