package dev.inboxpush.simulator.exchange;

import dev.inboxpush.simulator.ews.Notifications;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * One account's mailbox and its push subscription, as the Exchange server holding it sees them: the
 * Inbox with unread and read items, a child folder of the Inbox and an archive folder; the
 * subscription's id and watermark chain. Each change alters the mailbox at once (the mail arrives
 * whether or not the listener hears of it) and yields the POST or POSTs Exchange sends for it, the
 * events in mailbox order: new mail (CreatedEvent, NewMailEvent, the Inbox's ModifiedEvent with its
 * count), read and unread (the item's and the Inbox's ModifiedEvent), a move to the archive (a
 * MovedEvent, the Inbox's and the archive's ModifiedEvent, the archive's last: another folder's
 * count must not set the badge), new mail filed into the child folder (its CreatedEvent and the
 * child's ModifiedEvent with its count: no badge), a hard delete, and a {@code MoreEvents} batch of
 * several changes over two POSTs. With {@code missingCountShare}, a POST's folder events carry no
 * {@code UnreadCount}, as Exchange Online sends them.
 *
 * <p>Not thread-safe: one subscription's POSTs are sent one after the other, and so are its changes
 * made.
 */
public final class Mailbox {

  private final String key;
  private final Random random;
  private final double missingCountShare;
  private final String inbox;
  private final String child;
  private final String archive;
  private final String root;
  private final Deque<String> unread = new ArrayDeque<>();
  private final Deque<String> read = new ArrayDeque<>();
  private int childUnread;
  private int archiveUnread;
  private long serial;
  private int subscriptions;
  private String subscriptionId;
  private String watermark;

  /**
   * @param key unique per account in the run (it goes into every id, never a mailbox address)
   * @param random this account's randomness (seeded by the scenario)
   * @param missingCountShare the share of POSTs without counts, 0 to 1
   */
  public Mailbox(String key, Random random, double missingCountShare) {
    this.key = key;
    this.random = random;
    this.missingCountShare = missingCountShare;
    this.inbox = id("AQMkInbox");
    this.child = id("AQMkChild");
    this.archive = id("AQMkArchive");
    this.root = id("AQMkRoot");
    int initiallyUnread = random.nextInt(6);
    for (int i = 0; i < initiallyUnread; i++) {
      unread.add(newItem());
    }
    for (int i = 0; i < 3; i++) {
      read.add(newItem());
    }
    this.subscriptionId = newSubscriptionId();
    this.watermark = nextWatermark();
  }

  public String inboxFolderId() {
    return inbox;
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  /** The Inbox's true unread count (what the user would see in Outlook). */
  public int unreadCount() {
    return unread.size();
  }

  /** A new subscription (after the error form, the app subscribes again): new id, new chain. */
  public void resubscribe() {
    subscriptionId = newSubscriptionId();
    watermark = nextWatermark();
  }

  /** The heartbeat Exchange sends when the subscription had no events for StatusFrequency. */
  public Post heartbeat() {
    byte[] body = Notifications.of(subscriptionId, watermark, false).status(watermark).build();
    return new Post("heartbeat", subscriptionId, body, null, false, false);
  }

  /** The error form: Exchange can no longer read this subscription's events. */
  public Post failure() {
    return new Post(
        "error-form",
        subscriptionId,
        Notifications.failure("ErrorReadEventsFailed", subscriptionId),
        null,
        false,
        true);
  }

  /** New mail in the Inbox, with its count unless {@code withCount} is false. */
  public Post newMail(boolean withCount) {
    Builder post = new Builder("new-mail", false, !withCount);
    post.newMail();
    return post.build();
  }

  /** A random change: mostly new mail and reads, sometimes a batch over two POSTs. */
  public List<Post> change() {
    boolean noCount = random.nextDouble() < missingCountShare;
    int pick = random.nextInt(100);
    if (pick < 8) {
      Builder first = new Builder("more-events", true, noCount);
      int steps = 2 + random.nextInt(3);
      for (int i = 0; i < steps; i++) {
        first.randomStep();
      }
      Builder second = new Builder("more-events", false, noCount);
      second.randomStep();
      Post head = first.build();
      return List.of(head, second.build());
    }
    Builder post = new Builder(kindOf(pick), false, noCount);
    post.step(kindOf(pick));
    return List.of(post.build());
  }

  private static String kindOf(int pick) {
    if (pick < 40) {
      return "new-mail";
    } else if (pick < 62) {
      return "read";
    } else if (pick < 72) {
      return "unread";
    } else if (pick < 82) {
      return "move";
    } else if (pick < 92) {
      return "child-folder";
    }
    return "delete";
  }

  /** The events of one POST, and what the badge rules must make of them. */
  private final class Builder {

    private final String kind;
    private final Notifications body;
    private final boolean noCount;
    private @Nullable Integer inboxCount;
    private boolean inboxTouched;
    private boolean newMail;

    Builder(String kind, boolean moreEvents, boolean noCount) {
      this.kind = kind;
      this.body = Notifications.of(subscriptionId, watermark, moreEvents);
      this.noCount = noCount;
    }

    void randomStep() {
      step(kindOf(random.nextInt(92)));
    }

    void step(String what) {
      switch (what) {
        case "new-mail" -> newMail();
        case "read" -> {
          if (unread.isEmpty()) {
            newMail();
            return;
          }
          String item = unread.poll();
          read.addFirst(item);
          body.itemModified(next(), item, inbox);
          inboxModified();
        }
        case "unread" -> {
          if (read.isEmpty()) {
            newMail();
            return;
          }
          String item = read.poll();
          unread.addFirst(item);
          body.itemModified(next(), item, inbox);
          inboxModified();
        }
        case "move" -> {
          if (unread.isEmpty()) {
            newMail();
            return;
          }
          String item = unread.poll();
          String moved = newItem();
          archiveUnread++;
          body.itemMoved(next(), moved, archive, item, inbox);
          inboxModified();
          body.folderModified(next(), archive, root, noCount ? null : archiveUnread);
        }
        case "child-folder" -> {
          String item = newItem();
          childUnread++;
          body.itemCreated(next(), item, child);
          body.folderModified(next(), child, inbox, noCount ? null : childUnread);
        }
        case "delete" -> {
          if (read.isEmpty()) {
            step("read");
            return;
          }
          String item = read.poll();
          body.itemDeleted(next(), item, inbox);
          inboxModified();
        }
        default -> throw new IllegalArgumentException(what);
      }
    }

    void newMail() {
      String item = newItem();
      unread.addFirst(item);
      body.itemCreated(next(), item, inbox);
      body.newMail(next(), item, inbox);
      newMail = true;
      inboxModified();
    }

    private void inboxModified() {
      Integer count = noCount ? null : unread.size();
      body.folderModified(next(), inbox, root, count);
      inboxTouched = true;
      // The newest Inbox event decides: one without a count makes the count unknown.
      inboxCount = count;
    }

    private String next() {
      watermark = nextWatermark();
      return watermark;
    }

    Post build() {
      boolean wakes = inboxCount == null && (inboxTouched || newMail);
      return new Post(kind, subscriptionId, body.build(), inboxCount, wakes, false);
    }
  }

  private String newItem() {
    return id("AAMkItem");
  }

  private String newSubscriptionId() {
    subscriptions++;
    return Base64.getEncoder()
        .encodeToString(("sim-" + key + "-subscription-" + subscriptions).getBytes());
  }

  private String nextWatermark() {
    return Base64.getEncoder().encodeToString(("wm-" + key + "-" + (++serial)).getBytes());
  }

  private String id(String prefix) {
    return prefix + "-" + key + "-" + (++serial) + "=";
  }
}
