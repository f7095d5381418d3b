package dev.inboxpush.deploy;

import dev.inboxpush.store.dynamo.TableLayout;
import java.util.List;
import java.util.TreeSet;

/**
 * What each service's task role may do to the table: exactly the DynamoDB actions the store sends
 * for the calls that service makes, on the table, and {@code Query} on only the indexes it reads.
 *
 * <p>Read from the store ({@code TableRequests} is the one place requests are built; which {@code
 * RegistrationStore} and {@code ListenerStateStore} methods each service calls decides the rest):
 *
 * <ul>
 *   <li>both: {@code DescribeTable} (start-up verification, readiness), {@code GetItem} (every read
 *       by key is a consistent GetItem), {@code UpdateItem}, {@code DeleteItem};
 *   <li>the listener: no {@code PutItem} (its listener-state writes are all UpdateItem); DeleteItem
 *       because it deletes the registrations of dead device tokens with their pointers and listener
 *       state; Query on the table itself (a callback's registration and listener state, read
 *       together from their shared partition), on {@value TableLayout#GSI_DEVICE} (registrations of
 *       a device token) and {@value TableLayout#GSI_PENDING} (due pending badges). Its UpdateItem
 *       only on partition keys {@value #LISTENER_UPDATES} ({@code dynamodb:LeadingKeys}): every
 *       UpdateItem the listener sends is one of {@code DynamoListenerStateStore}'s (lastSeen,
 *       state, {@code markShared}'s shared marks, pending badges), all keyed {@code
 *       REG#<id>}/{@code LISTENER}; the device claims ({@code DEV#}) and subscription pointers
 *       ({@code SUB#}) are created and extended by the registration API alone ({@code
 *       DeviceClaims.claim}, {@code SubscriptionPointers.point}, {@code Pointers.extend}), so the
 *       listener may not write them;
 *   <li>the registration API: {@code PutItem} (new registrations, claims, subscription pointers);
 *       Query on {@value TableLayout#GSI_OWNER} only (delete all of a caller's registrations).
 * </ul>
 *
 * No {@code Scan}, no batch or transaction actions, no {@code CreateTable} or {@code
 * UpdateTimeToLive}: production never creates the table (the services only verify it).
 *
 * <p>What IAM cannot say here: registrations and listener state share one partition key ({@code
 * REG#<id>}), and IAM's {@code dynamodb:LeadingKeys} condition sees partition keys only, so no
 * policy can keep the listener's UpdateItem off registration items by sort key. Its DeleteItem is
 * not narrowed at all: a dead token's registration goes with its claim ({@code DEV#}) and
 * subscription pointer ({@code SUB#}), which is every kind of item the table holds. The boundary
 * between registrations and listener state is kept by the store's code, not by IAM. {@code
 * dynamodb:Attributes} could narrow UpdateItem to attribute names, but listener state shares {@code
 * ttl} and {@code updatedAt} with registrations, and nothing offline can hold such a list to the
 * store's update expressions: a stale list would refuse listener-state writes in production only,
 * so it is left out on purpose.
 */
enum ServiceAccess {
  LISTENER(
      List.of(
          "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"),
      List.of(ServiceAccess.LISTENER_UPDATES),
      List.of(TableLayout.GSI_DEVICE, TableLayout.GSI_PENDING)),
  REGISTRATION(
      List.of(
          "dynamodb:DescribeTable",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem"),
      List.of(),
      List.of(TableLayout.GSI_OWNER));

  /**
   * The partition keys the listener's UpdateItem may name: registrations' partitions, where its
   * listener state lives ({@code TableLayout.registrationPk}).
   */
  static final String LISTENER_UPDATES = "REG#*";

  /** The one action on the region's Prometheus workspace: the collector sidecar's remote write. */
  static final String PROMETHEUS_REMOTE_WRITE = "aps:RemoteWrite";

  static final String QUERY = "dynamodb:Query";

  static final String UPDATE_ITEM = "dynamodb:UpdateItem";

  private final List<String> tableActions;
  private final List<String> updatedPartitions;
  private final List<String> queriedIndexes;

  ServiceAccess(
      List<String> tableActions, List<String> updatedPartitions, List<String> queriedIndexes) {
    this.tableActions = tableActions;
    this.updatedPartitions = updatedPartitions;
    this.queriedIndexes = queriedIndexes;
  }

  /** Actions on the table itself (its ARN, no index), on any item. */
  List<String> tableActions() {
    return tableActions;
  }

  /**
   * When not empty, this service may also UpdateItem, but only items whose partition key is like
   * one of these ({@code ForAllValues:StringLike} on {@code dynamodb:LeadingKeys}).
   */
  List<String> updatedPartitions() {
    return updatedPartitions;
  }

  /** Every action this service may perform on the table and its indexes. */
  List<String> allTableActions() {
    TreeSet<String> all = new TreeSet<>(tableActions);
    if (!updatedPartitions.isEmpty()) {
      all.add(UPDATE_ITEM);
    }
    if (!queriedIndexes.isEmpty()) {
      all.add(QUERY);
    }
    return List.copyOf(all);
  }

  /** The indexes this service may Query, and nothing else on any index. */
  List<String> queriedIndexes() {
    return queriedIndexes;
  }
}
