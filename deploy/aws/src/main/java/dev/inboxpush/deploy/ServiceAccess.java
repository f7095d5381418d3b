package dev.inboxpush.deploy;

import dev.inboxpush.store.dynamo.TableLayout;
import java.util.List;

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
 *       a device token) and {@value TableLayout#GSI_PENDING} (due pending badges);
 *   <li>the registration API: {@code PutItem} (new registrations, claims, subscription pointers);
 *       Query on {@value TableLayout#GSI_OWNER} only (delete all of a caller's registrations).
 * </ul>
 *
 * No {@code Scan}, no batch or transaction actions, no {@code CreateTable} or {@code
 * UpdateTimeToLive}: production never creates the table (the services only verify it).
 *
 * <p>What IAM cannot say here: registrations and listener state share one partition key ({@code
 * REG#<id>}), and IAM's {@code dynamodb:LeadingKeys} condition sees partition keys only, so no
 * policy can keep the listener's UpdateItem and DeleteItem off registration items by sort key. The
 * listener must delete registrations anyway (dead tokens); the boundary between the two item kinds
 * is kept by the store's code, not by IAM. {@code dynamodb:Attributes} could narrow UpdateItem to
 * attribute names, but listener state shares {@code ttl} and {@code updatedAt} with registrations,
 * and nothing offline can hold such a list to the store's update expressions: a stale list would
 * refuse listener-state writes in production only, so it is left out on purpose.
 */
enum ServiceAccess {
  LISTENER(
      List.of(
          "dynamodb:DescribeTable",
          "dynamodb:GetItem",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem"),
      List.of(TableLayout.GSI_DEVICE, TableLayout.GSI_PENDING)),
  REGISTRATION(
      List.of(
          "dynamodb:DescribeTable",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem"),
      List.of(TableLayout.GSI_OWNER));

  /** The one action on the region's Prometheus workspace: the collector sidecar's remote write. */
  static final String PROMETHEUS_REMOTE_WRITE = "aps:RemoteWrite";

  static final String QUERY = "dynamodb:Query";

  private final List<String> tableActions;
  private final List<String> queriedIndexes;

  ServiceAccess(List<String> tableActions, List<String> queriedIndexes) {
    this.tableActions = tableActions;
    this.queriedIndexes = queriedIndexes;
  }

  /** Actions on the table itself (its ARN, no index). */
  List<String> tableActions() {
    return tableActions;
  }

  /** The indexes this service may Query, and nothing else on any index. */
  List<String> queriedIndexes() {
    return queriedIndexes;
  }
}
