package dev.inboxpush.doctor.ews;

import java.net.URI;

/**
 * The EWS operations the doctor needs, for one mailbox. Implementations are blocking, used from one
 * thread, and closed when done; every failure is a {@link EwsResult.Failed}, never an exception.
 */
public interface Ews extends AutoCloseable {

  /** The test mailbox as {@code GetFolder} of the Inbox shows it: proves the credentials work. */
  record Mailbox(String inboxFolderId, String serverVersion) {}

  /** {@code GetFolder} of the Inbox: its FolderId, and Exchange's version from the answer. */
  EwsResult<Mailbox> openInbox();

  /**
   * {@code Subscribe}: a push subscription on the Inbox for NewMail and Modified events, posting to
   * {@code callbackUrl} with a heartbeat every {@code statusFrequency} minutes.
   *
   * @return the SubscriptionId
   */
  EwsResult<String> subscribe(String inboxFolderId, URI callbackUrl, int statusFrequency);

  /** {@code CreateItem} (send only): a short test message to {@code address}; when it was sent. */
  EwsResult<java.time.Instant> sendTestMessage(String address);

  @Override
  void close();
}
