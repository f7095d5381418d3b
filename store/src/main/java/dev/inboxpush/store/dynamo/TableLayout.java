package dev.inboxpush.store.dynamo;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The table's key schema, items and access patterns: the one place that says how data sits in
 * DynamoDB.
 *
 * <h2>Keys</h2>
 *
 * Base table: partition key {@value #PK} (S), sort key {@value #SK} (S). Four kinds of item:
 *
 * <table>
 *   <caption>Items</caption>
 *   <tr><th>item</th><th>{@value #PK}</th><th>{@value #SK}</th><th>written by</th></tr>
 *   <tr><td>registration</td><td>{@code REG#<registrationId>}</td><td>{@value #SK_REGISTRATION}</td>
 *       <td>registration API only</td></tr>
 *   <tr><td>listener state</td><td>{@code REG#<registrationId>}</td><td>{@value #SK_LISTENER}</td>
 *       <td>listeners only</td></tr>
 *   <tr><td>device claim</td><td>{@code DEV#<sha256(platform|app|token|owner)>}</td>
 *       <td>{@value #SK_POINTER}</td><td>registration API (released: a tombstone naming the
 *       retired registration, {@value #ATTR_RETIRED_ID})</td></tr>
 *   <tr><td>subscription pointer</td><td>{@code SUB#<sha256(SubscriptionId)>}</td>
 *       <td>{@value #SK_POINTER}</td><td>registration API (bind)</td></tr>
 * </table>
 *
 * <p>A Global Table resolves concurrent writes per whole item (last writer wins) and checks
 * conditions against the local replica only. Registration and listener state are therefore separate
 * items under one partition: the API in one region and a listener in another never overwrite each
 * other's attributes. Conditional writes protect data within one region (idempotent
 * re-registration, token rotation, a subscription pointer never moved to another owner,
 * pending-badge clearing).
 *
 * <p>Pointer keys are hashes: FCM tokens can exceed DynamoDB's 2048-byte key limit. A callback
 * token needs no pointer: it names its registration ({@link CallbackToken}), and the secret part
 * stays out of key space (keys show up in metrics and diagnostics).
 *
 * <h2>Access patterns (no scans)</h2>
 *
 * <ul>
 *   <li>registration by id: GetItem {@code REG#id/REGISTRATION}, consistent.
 *   <li>registration by callback token, with its listener state: one consistent Query of the
 *       partition {@code REG#<the id the token names>} (both items; an {@code Unsubscribe} may rest
 *       on the answer), the stored token then compared with the given one in constant time.
 *   <li>registration by SubscriptionId: Query GSI {@value #GSI_SUBSCRIPTION} on {@value
 *       #ATTR_SUBSCRIPTION_ID} (eventually consistent), or, where an {@code Unsubscribe} rests on
 *       the answer (the compatibility mode's shared URL), GetItem on the subscription pointer and
 *       then the registration, both consistent.
 *   <li>registrations of a device token and app: Query GSI {@value #GSI_DEVICE} on {@value
 *       #ATTR_DEVICE_KEY} = sha256(platform|app|token).
 *   <li>registrations of an owner: Query GSI {@value #GSI_OWNER} on {@value #ATTR_OWNER} (device
 *       wipe).
 *   <li>idempotent re-registration: GetItem on the device claim, consistent.
 *   <li>due pending badges: Query the sparse GSI {@value #GSI_PENDING}, partition {@value
 *       #ATTR_PENDING_SHARD} ({@code P#0}..{@code P#n-1}), sort {@value #ATTR_PENDING_NEXT} &lt;=
 *       now. Only listener-state items with a pending badge carry these attributes.
 * </ul>
 *
 * <h2>Schema version and upgrades</h2>
 *
 * Every write stamps the item with {@value #ATTR_SCHEMA_VERSION} = {@value #SCHEMA_VERSION} (the
 * layout this table describes; {@link TableRequests} adds it to every put and update), so an item
 * says which layout wrote it last (DynamoDB cannot keep the highest of two). Items without it are
 * of the layout before it was introduced (no {@value #ATTR_KIND}: EWS; bound without {@value
 * #ATTR_BOUND_AT}: bound at their last update), which readers still read. The rules that let two
 * versions run at once in different regions against one Global Table: a new version may add
 * attributes and read their absence, never rename, retype or reuse one; readers pick attributes by
 * name and ignore the rest; every update is an {@code UpdateItem} that SETs or REMOVEs named
 * attributes only (a full-item put only creates an item), so what a newer version wrote survives an
 * older one's update. A change that cannot follow them raises the version and is deployed in two
 * steps: first a reader of both layouts everywhere, then the writer.
 *
 * <h2>Expiry</h2>
 *
 * Instants are epoch milliseconds ({@code N}); {@value #ATTR_TTL} is epoch seconds for DynamoDB's
 * TTL, which deletes up to days late, so every read also checks {@value #ATTR_EXPIRES_AT}. Pointers
 * expire a grace period after their registration, never before it.
 */
public final class TableLayout {

  private TableLayout() {}

  public static final String PK = "pk";
  public static final String SK = "sk";

  public static final String SK_REGISTRATION = "REGISTRATION";
  public static final String SK_LISTENER = "LISTENER";
  public static final String SK_POINTER = "POINTER";

  public static final String GSI_DEVICE = "byDevice";
  public static final String GSI_OWNER = "byOwner";
  public static final String GSI_SUBSCRIPTION = "bySubscription";
  public static final String GSI_PENDING = "byPending";

  // Registration item
  public static final String ATTR_REGISTRATION_ID = "registrationId";

  /** On a released device claim (a tombstone): the registration it last named. */
  public static final String ATTR_RETIRED_ID = "retiredId";

  public static final String ATTR_OWNER = "ownerHash";
  public static final String ATTR_PLATFORM = "platform";
  public static final String ATTR_APP = "appId";
  public static final String ATTR_APNS_ENV = "apnsEnvironment";
  public static final String ATTR_DEVICE_TOKEN = "deviceToken";
  public static final String ATTR_DEVICE_KEY = "deviceKey";
  public static final String ATTR_CALLBACK_TOKEN = "callbackToken";
  public static final String ATTR_REGION = "region";
  public static final String ATTR_SUBSCRIPTION_ID = "subscriptionId";
  public static final String ATTR_INBOX_FOLDER_ID = "inboxFolderId";
  public static final String ATTR_STATUS_FREQUENCY = "statusFrequency";
  public static final String ATTR_BOUND_AT = "boundAt";

  /** {@code ews} or {@code graph}; absent on items written before Graph, which are EWS. */
  public static final String ATTR_KIND = "kind";

  /** SHA-256 of a Graph registration's clientState secret (the secret itself is never stored). */
  public static final String ATTR_CLIENT_STATE_HASH = "clientStateHash";

  /** The bound Graph subscription's id; not indexed (no URL is shared between registrations). */
  public static final String ATTR_GRAPH_SUBSCRIPTION_ID = "graphSubscriptionId";

  /** The bound Graph subscription's expirationDateTime. */
  public static final String ATTR_GRAPH_EXPIRES_AT = "graphExpiresAt";

  /** On subscription pointers: whose registration it names (not ownerHash: that is indexed). */
  public static final String ATTR_POINTER_OWNER = "pointerOwner";

  public static final String ATTR_CREATED_AT = "createdAt";
  public static final String ATTR_UPDATED_AT = "updatedAt";
  public static final String ATTR_TOKEN_REGISTERED_AT = "tokenRegisteredAt";
  public static final String ATTR_EXPIRES_AT = "expiresAt";
  public static final String ATTR_TTL = "ttl";

  /** The layout version every write stamps on its item (see "Schema version and upgrades"). */
  public static final String ATTR_SCHEMA_VERSION = "schemaVersion";

  /** This layout's version. */
  public static final int SCHEMA_VERSION = 1;

  // Listener-state item
  public static final String ATTR_LAST_SEEN = "lastSeen";
  public static final String ATTR_LAST_SUBSCRIPTION_ID = "lastSubscriptionId";
  public static final String ATTR_LAST_WATERMARK = "lastWatermark";
  public static final String ATTR_LAST_UNREAD = "lastUnreadCount";
  public static final String ATTR_SUBSCRIPTION_ERROR = "subscriptionError";
  public static final String ATTR_LEARNED_SUBSCRIPTION_ID = "learnedSubscriptionId";
  public static final String ATTR_LEARNED_INBOX = "learnedInboxFolderId";
  public static final String ATTR_LAST_PUSH_OUTCOME = "lastPushOutcome";
  public static final String ATTR_LAST_PUSH_AT = "lastPushAt";
  public static final String ATTR_ACCEPTED_AT = "acceptedAt";
  public static final String ATTR_GRAPH_LIFECYCLE = "graphLifecycleEvent";
  public static final String ATTR_GRAPH_LIFECYCLE_AT = "graphLifecycleAt";
  public static final String ATTR_GRAPH_LIFECYCLE_SUBSCRIPTION = "graphLifecycleSubscriptionId";
  public static final String ATTR_SOLE_ACCOUNT = "soleAccount";
  public static final String ATTR_SHARED_MARKS = "sharedMarks";
  public static final String ATTR_PENDING_ID = "pendingId";
  public static final String ATTR_PENDING_BADGE = "pendingBadge";
  public static final String ATTR_PENDING_KIND = "pendingKind";
  public static final String ATTR_PENDING_NEW_MAIL = "pendingNewMail";
  public static final String ATTR_PENDING_SINCE = "pendingSince";
  public static final String ATTR_PENDING_NEXT = "pendingNextAt";
  public static final String ATTR_PENDING_ATTEMPTS = "pendingAttempts";
  public static final String ATTR_PENDING_SHARD = "pendingShard";

  /** One global secondary index: its partition key, optional sort key and projection. */
  record Index(String name, String partitionKey, String sortKey, boolean keysOnly) {
    boolean hasSortKey() {
      return !sortKey.isEmpty();
    }
  }

  /** Every index the store needs; bootstrap creates and verifies exactly these. */
  static final List<Index> INDEXES =
      List.of(
          new Index(GSI_DEVICE, ATTR_DEVICE_KEY, "", false),
          new Index(GSI_OWNER, ATTR_OWNER, "", true),
          new Index(GSI_SUBSCRIPTION, ATTR_SUBSCRIPTION_ID, "", false),
          new Index(GSI_PENDING, ATTR_PENDING_SHARD, ATTR_PENDING_NEXT, false));

  static String registrationPk(RegistrationId id) {
    return "REG#" + id.value();
  }

  static String claimPk(AppId app, DeviceToken token, OwnerHash owner) {
    return "DEV#" + sha256(deviceKeyText(app, token) + "|" + owner.value());
  }

  static String subscriptionPk(SubscriptionId subscriptionId) {
    return "SUB#" + sha256(subscriptionId.value());
  }

  static String deviceKey(AppId app, DeviceToken token) {
    return sha256(deviceKeyText(app, token));
  }

  static String pendingShard(RegistrationId id, int shards) {
    return "P#" + Math.floorMod(id.value().hashCode(), shards);
  }

  private static String deviceKeyText(AppId app, DeviceToken token) {
    // '|' occurs in none of the parts (see their validation), so the join is unambiguous.
    return token.platform().wireName() + "|" + app.value() + "|" + token.value();
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
