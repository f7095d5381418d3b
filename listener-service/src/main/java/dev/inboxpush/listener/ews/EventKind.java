package dev.inboxpush.listener.ews;

import java.util.Optional;

/** The kinds of EWS notification event. */
public enum EventKind {
  /** Heartbeat: nothing happened for StatusFrequency minutes. */
  STATUS("StatusEvent"),
  NEW_MAIL("NewMailEvent"),
  CREATED("CreatedEvent"),
  DELETED("DeletedEvent"),
  /** For a folder, may carry the folder's unread count. */
  MODIFIED("ModifiedEvent"),
  MOVED("MovedEvent"),
  COPIED("CopiedEvent"),
  FREE_BUSY_CHANGED("FreeBusyChangedEvent");

  private final String elementName;

  EventKind(String elementName) {
    this.elementName = elementName;
  }

  /** The local name of the event's element in the types namespace. */
  public String elementName() {
    return elementName;
  }

  /** Whether the event moves or copies something (and so names where it came from). */
  public boolean hasOrigin() {
    return this == MOVED || this == COPIED;
  }

  /** The kind whose element has this local name, if any. */
  static Optional<EventKind> forElement(String localName) {
    for (EventKind kind : values()) {
      if (kind.elementName.equals(localName)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
