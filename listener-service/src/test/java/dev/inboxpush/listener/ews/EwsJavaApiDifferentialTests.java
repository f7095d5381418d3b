package dev.inboxpush.listener.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import microsoft.exchange.webservices.data.core.EwsServiceXmlReader;
import microsoft.exchange.webservices.data.core.enumeration.misc.XmlNamespace;
import microsoft.exchange.webservices.data.core.enumeration.service.ServiceResult;
import microsoft.exchange.webservices.data.core.response.GetEventsResponse;
import microsoft.exchange.webservices.data.notification.FolderEvent;
import microsoft.exchange.webservices.data.notification.GetEventsResults;
import microsoft.exchange.webservices.data.notification.ItemEvent;
import microsoft.exchange.webservices.data.notification.NotificationEvent;
import microsoft.exchange.webservices.data.property.complex.ServiceId;
import microsoft.exchange.webservices.data.security.XmlNodeType;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole corpus through ews-java-api 2.0's own event parser and compares field by field.
 * Every disagreement must be one of {@link #KNOWN_ERRORS}, each with its reason; any other
 * disagreement fails, and so does a known error that no longer occurs (the list stays true).
 *
 * <p>Fields compared per response message: kind, SubscriptionId, PreviousWatermark, the newest
 * watermark, MoreEvents, and per change event: type, item or folder, id, parent, old id, old
 * parent, time stamp, and (folder events) the unread count; for the error form the response code
 * and the SubscriptionId of {@code MessageXml}. Status events are not compared one by one:
 * ews-java-api drops them and keeps only their watermark, which the newest watermark covers.
 */
class EwsJavaApiDifferentialTests {

  private static final String ABSENT = "(absent)";

  /** payload | field (regular expression) | why ews-java-api reads it differently. */
  private static final String KNOWN_ERRORS =
      """
      inbox-modified-without-count | message\\[0\\]\\.event\\[0\\]\\.unreadCount | a missing UnreadCount reads as 0 there (FolderEvent keeps a primitive int)
      folder-events | message\\[0\\]\\.event\\[[0234]\\]\\.unreadCount | it reports 0 for folder events that carry no count at all
      folder-events | message\\[0\\]\\.event\\[[23]\\]\\.parentFolderId | folder moves and copies overwrite ParentFolderId with OldParentFolderId
      folder-events | message\\[0\\]\\.event\\[[23]\\]\\.oldParentFolderId | folder moves and copies never set OldParentFolderId
      notification-in-types-namespace | parse | it only reads Notification in the messages namespace
      soap12-envelope | parse | it only reads SOAP 1.1 envelopes
      missing-optionals | parse | it requires PreviousWatermark and MoreEvents, which the schema makes optional
      warning-with-notification | parse | it requires MessageText in a Warning response, which the schema makes optional
      unknown-elements | parse | an unknown child inside an event stops its reader (it expects the event's end)
      exchange2013-bom-crlf-comments | parse | it does not skip comments between elements
      """;

  private record KnownError(String payload, Pattern field, String reason) {}

  private static List<KnownError> knownErrors() {
    List<KnownError> errors = new ArrayList<>();
    for (String line : KNOWN_ERRORS.strip().split("\n")) {
      String[] parts = line.split("\\|", 3);
      errors.add(
          new KnownError(parts[0].trim(), Pattern.compile(parts[1].trim()), parts[2].trim()));
    }
    return errors;
  }

  @Test
  void everyDisagreementWithEwsJavaApiIsAKnownError() throws Exception {
    SendNotificationParser parser = new SendNotificationParser(ParserLimits.DEFAULTS);
    List<KnownError> known = knownErrors();
    List<KnownError> seen = new ArrayList<>();
    List<String> unexplained = new ArrayList<>();
    int compared = 0;

    for (String name : Corpus.NAMES) {
      byte[] payload = Corpus.payload(name);
      Map<String, String> ours = fields(parser.parse(payload));
      Map<String, String> theirs;
      try {
        theirs = theirFields(payload);
      } catch (Exception e) {
        // ews-java-api refuses the payload; the known errors say which ones and why.
        theirs = null;
      }
      if (theirs == null) {
        account(name, "parse", known, seen, unexplained);
        continue;
      }
      TreeSet<String> keys = new TreeSet<>(ours.keySet());
      keys.addAll(theirs.keySet());
      for (String key : keys) {
        compared++;
        String a = ours.getOrDefault(key, ABSENT);
        String b = theirs.getOrDefault(key, ABSENT);
        if (!a.equals(b)) {
          account(name, key, known, seen, unexplained);
        }
      }
    }

    assertThat(compared).as("fields compared").isGreaterThan(3_000);
    assertThat(unexplained).as("disagreements that are not known errors").isEmpty();
    assertThat(known).as("known errors that no longer occur").allMatch(seen::contains);
  }

  private static void account(
      String payload,
      String field,
      List<KnownError> known,
      List<KnownError> seen,
      List<String> unexplained) {
    for (KnownError error : known) {
      if (error.payload().equals(payload) && error.field().matcher(field).matches()) {
        seen.add(error);
        return;
      }
    }
    unexplained.add(payload + " | " + field);
  }

  // ---- our side -----------------------------------------------------------------------------

  private static Map<String, String> fields(SendNotification parsed) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int m = 0; m < parsed.messages().size(); m++) {
      String prefix = "message[" + m + "].";
      NotificationMessage message = parsed.messages().get(m);
      if (message instanceof SubscriptionFailure failure) {
        out.put(prefix + "kind", "failure");
        out.put(prefix + "responseCode", failure.responseCode());
        out.put(
            prefix + "subscriptionId",
            value(failure.subscriptionId() == null ? null : failure.subscriptionId().value()));
        continue;
      }
      Notification n = (Notification) message;
      out.put(prefix + "kind", "notification");
      out.put(prefix + "subscriptionId", n.subscriptionId().value());
      out.put(
          prefix + "previousWatermark",
          value(n.previousWatermark() == null ? null : n.previousWatermark().value()));
      out.put(prefix + "newWatermark", value(n.newestWatermark().map(w -> w.value()).orElse(null)));
      out.put(prefix + "moreEvents", Boolean.toString(n.moreEvents()));
      int e = 0;
      for (MailboxEvent event : n.events()) {
        if (event instanceof ChangeEvent c) {
          String p = prefix + "event[" + e++ + "].";
          out.put(p + "type", c.kind().elementName().replace("Event", ""));
          out.put(p + "folder", Boolean.toString(c.target().folder()));
          out.put(p + "id", c.target().id());
          out.put(
              p + "parentFolderId",
              value(c.parentFolderId() == null ? null : c.parentFolderId().value()));
          out.put(p + "oldId", value(c.oldTarget() == null ? null : c.oldTarget().id()));
          out.put(
              p + "oldParentFolderId",
              value(c.oldParentFolderId() == null ? null : c.oldParentFolderId().value()));
          out.put(p + "timeStamp", value(c.timeStamp() == null ? null : c.timeStamp().toString()));
          if (c.target().folder()) {
            out.put(
                p + "unreadCount",
                value(c.unreadCount() == null ? null : c.unreadCount().toString()));
          }
        }
      }
    }
    return out;
  }

  // ---- ews-java-api's side ------------------------------------------------------------------

  /** The AWS WorkMail sample's recipe, extended to several response messages. */
  private static Map<String, String> theirFields(byte[] payload) throws Exception {
    EwsServiceXmlReader reader = new EwsServiceXmlReader(new ByteArrayInputStream(payload), null);
    reader.read(new XmlNodeType(XmlNodeType.START_DOCUMENT));
    reader.readStartElement(XmlNamespace.Soap, "Envelope");
    reader.read();
    if (reader.isStartElement(XmlNamespace.Soap, "Header")) {
      while (!reader.isEndElement(XmlNamespace.Soap, "Header")) {
        reader.read();
      }
      reader.readStartElement(XmlNamespace.Soap, "Body");
    } else if (!reader.isStartElement(XmlNamespace.Soap, "Body")) {
      throw new IllegalStateException("no SOAP body");
    }
    reader.readStartElement(XmlNamespace.Messages, "SendNotification");
    reader.readStartElement(XmlNamespace.Messages, "ResponseMessages");
    reader.read();
    Map<String, String> out = new LinkedHashMap<>();
    int m = 0;
    while (reader.isStartElement(XmlNamespace.Messages, "SendNotificationResponseMessage")) {
      GetEventsResponse response = new GetEventsResponse();
      response.loadFromXml(reader, "SendNotificationResponseMessage");
      String prefix = "message[" + m++ + "].";
      if (response.getResult() == ServiceResult.Error) {
        out.put(prefix + "kind", "failure");
        out.put(prefix + "responseCode", response.getErrorCode().name());
        out.put(prefix + "subscriptionId", value(response.getErrorDetails().get("SubscriptionId")));
      } else {
        GetEventsResults results = response.getResults();
        out.put(prefix + "kind", "notification");
        out.put(prefix + "subscriptionId", (String) field(results, "subscriptionId"));
        out.put(prefix + "previousWatermark", value((String) field(results, "previousWatermark")));
        out.put(prefix + "newWatermark", value((String) field(results, "newWatermark")));
        out.put(prefix + "moreEvents", field(results, "moreEventsAvailable").toString());
        int e = 0;
        for (NotificationEvent event : results.getAllEvents()) {
          String p = prefix + "event[" + e++ + "].";
          out.put(p + "type", event.getEventType().name());
          out.put(p + "parentFolderId", id(event.getParentFolderId()));
          out.put(p + "oldParentFolderId", id(event.getOldParentFolderId()));
          Date timestamp = event.getTimestamp();
          out.put(
              p + "timeStamp", value(timestamp == null ? null : timestamp.toInstant().toString()));
          if (event instanceof FolderEvent folder) {
            out.put(p + "folder", "true");
            out.put(p + "id", id(folder.getFolderId()));
            out.put(p + "oldId", id(folder.getOldFolderId()));
            out.put(p + "unreadCount", Integer.toString(folder.getUnreadCount()));
          } else {
            ItemEvent item = (ItemEvent) event;
            out.put(p + "folder", "false");
            out.put(p + "id", id(item.getItemId()));
            out.put(p + "oldId", id(item.getOldItemId()));
          }
        }
      }
      reader.read();
    }
    return out;
  }

  private static Object field(GetEventsResults results, String name)
      throws ReflectiveOperationException {
    // ews-java-api keeps these protected on a final class; reflection is the only way in.
    Field field = GetEventsResults.class.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(results);
  }

  private static String id(ServiceId id) {
    return value(id == null ? null : id.getUniqueId());
  }

  private static String value(String text) {
    return text == null ? ABSENT : text;
  }
}
