package dev.inboxpush.listener.ews;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The payload corpus in {@code src/test/resources/ews/corpus}: each {@code NAME.xml} with its
 * expected parse in {@code NAME.expected}, written from the protocol reference, not from the
 * parser's output.
 */
public final class Corpus {

  /** Every payload, by name. */
  public static final List<String> NAMES =
      List.of(
          "heartbeat-exchange2016",
          "new-mail-exchange2016",
          "read-state-change",
          "inbox-modified-without-count",
          "more-events-first",
          "more-events-continuation",
          "more-events-500",
          "folder-events",
          "error-read-events-failed",
          "several-response-messages",
          "no-header",
          "warning-with-notification",
          "exchange2007sp1-heartbeat",
          "exchange2010sp2-default-namespaces",
          "exchange2013-bom-crlf-comments",
          "notification-in-types-namespace",
          "missing-optionals",
          "unknown-elements",
          "soap12-envelope");

  private Corpus() {}

  public static Stream<String> names() {
    return NAMES.stream();
  }

  public static byte[] payload(String name) {
    return resource(name + ".xml");
  }

  static String expected(String name) {
    return new String(resource(name + ".expected"), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String file) {
    try (InputStream in = Corpus.class.getResourceAsStream("/ews/corpus/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing corpus file " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The line format of the {@code .expected} files. */
  static String render(SendNotification parsed) {
    StringBuilder out = new StringBuilder();
    out.append("version ").append(orDash(parsed.serverVersion())).append('\n');
    for (NotificationMessage message : parsed.messages()) {
      if (message instanceof Notification n) {
        out.append("notification subscription=")
            .append(n.subscriptionId().value())
            .append(" previous=")
            .append(n.previousWatermark() == null ? "-" : n.previousWatermark().value())
            .append(" more=")
            .append(n.moreEvents())
            .append('\n');
        for (MailboxEvent event : n.events()) {
          out.append("  ").append(render(event)).append('\n');
        }
      } else if (message instanceof SubscriptionFailure f) {
        out.append("failure code=")
            .append(f.responseCode())
            .append(" subscription=")
            .append(f.subscriptionId() == null ? "-" : f.subscriptionId().value())
            .append('\n');
      }
    }
    return out.toString();
  }

  static String render(MailboxEvent event) {
    if (event instanceof StatusEvent s) {
      return "Status watermark=" + (s.watermark() == null ? "-" : s.watermark().value());
    }
    ChangeEvent c = (ChangeEvent) event;
    return Stream.of(
            kindName(c.kind()),
            ref(c.target(), "="),
            "parent=" + (c.parentFolderId() == null ? "-" : c.parentFolderId().value()),
            "unread=" + orDash(c.unreadCount()),
            "old=" + (c.oldTarget() == null ? "-" : ref(c.oldTarget(), ":")),
            "oldParent=" + (c.oldParentFolderId() == null ? "-" : c.oldParentFolderId().value()),
            "watermark=" + (c.watermark() == null ? "-" : c.watermark().value()),
            "time=" + orDash(c.timeStamp()))
        .collect(Collectors.joining(" "));
  }

  private static String kindName(EventKind kind) {
    String element = kind.elementName();
    return element.substring(0, element.length() - "Event".length());
  }

  private static String ref(ObjectRef ref, String separator) {
    return (ref.folder() ? "folder" : "item") + separator + ref.id();
  }

  private static String orDash(Object value) {
    return value == null ? "-" : value.toString();
  }
}
