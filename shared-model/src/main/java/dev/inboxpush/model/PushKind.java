package dev.inboxpush.model;

import java.util.Optional;

/**
 * Why the app is being woken: the {@code kind} value of the device contract. Apps must ignore kinds
 * they do not know.
 */
public enum PushKind {
  /** New mail arrived in the Inbox; carries the unread count when Exchange sent one. */
  NEW_MAIL("new-mail"),
  /** The Inbox unread count changed; carries it when known, else the app recounts. */
  UNREAD_CHANGED("unread-changed"),
  /** Something changed that may matter to the app; it should sync. */
  WAKE("wake"),
  /** The EWS subscription failed on Exchange's side; the app must subscribe again. */
  RESUBSCRIBE("resubscribe");

  private final String wireName;

  PushKind(String wireName) {
    this.wireName = wireName;
  }

  /** The value sent to devices. */
  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name, if it is one. */
  public static Optional<PushKind> fromWire(String wireName) {
    for (PushKind kind : values()) {
      if (kind.wireName.equals(wireName)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
