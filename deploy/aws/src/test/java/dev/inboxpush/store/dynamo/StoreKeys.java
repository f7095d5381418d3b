package dev.inboxpush.store.dynamo;

import dev.inboxpush.model.AppId;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store's own key builders, which are package-private, for deploy/aws's IAM tests: the keys the
 * listener writes and those it must not, exactly as the store builds them (a test-only bridge; the
 * app itself uses the schema only, see {@code ArchitectureTests}).
 */
public final class StoreKeys {

  private StoreKeys() {}

  /** The key of every UpdateItem the listener sends ({@code DynamoListenerStateStore}). */
  public static Map<String, AttributeValue> listenerState(RegistrationId id) {
    return DynamoListenerStateStore.key(id);
  }

  /** A device claim's partition key, written by the registration API. */
  public static String deviceClaim(AppId app, DeviceToken token, OwnerHash owner) {
    return TableLayout.claimPk(app, token, owner);
  }

  /** A subscription pointer's partition key, written by the registration API. */
  public static String subscriptionPointer(SubscriptionId subscriptionId) {
    return TableLayout.subscriptionPk(subscriptionId);
  }
}
