package dev.inboxpush.listener.ews;

/**
 * An item or folder an event names ({@code ItemId}/{@code FolderId} and their {@code Old}
 * variants): its EWS id, as opaque text. The change key is not kept: nothing here needs it.
 *
 * @param folder whether it is a folder (else an item)
 * @param id the {@code Id} attribute
 */
public record ObjectRef(boolean folder, String id) {

  public static ObjectRef item(String id) {
    return new ObjectRef(false, id);
  }

  public static ObjectRef folder(String id) {
    return new ObjectRef(true, id);
  }
}
