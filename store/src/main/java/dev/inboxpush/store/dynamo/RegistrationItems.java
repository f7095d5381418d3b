package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.millis;
import static dev.inboxpush.store.dynamo.Attributes.n;
import static dev.inboxpush.store.dynamo.Attributes.requiredInstant;
import static dev.inboxpush.store.dynamo.Attributes.requiredString;
import static dev.inboxpush.store.dynamo.Attributes.s;
import static dev.inboxpush.store.dynamo.Attributes.string;
import static dev.inboxpush.store.dynamo.Attributes.ttl;
import static dev.inboxpush.store.dynamo.TableLayout.*;

import dev.inboxpush.model.ApnsEnvironment;
import dev.inboxpush.model.AppId;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.ClientStateHash;
import dev.inboxpush.model.DeviceToken;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.GraphSubscription;
import dev.inboxpush.model.OwnerHash;
import dev.inboxpush.model.Platform;
import dev.inboxpush.model.Region;
import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.RegistrationKind;
import dev.inboxpush.model.StatusFrequency;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps registrations and their pointer items to and from DynamoDB items. */
final class RegistrationItems {

  /** How long pointers outlive their registration, so that they never vanish before it. */
  static final Duration POINTER_GRACE = Duration.ofDays(1);

  private RegistrationItems() {}

  static Map<String, AttributeValue> key(RegistrationId id) {
    return Map.of(PK, s(registrationPk(id)), SK, s(SK_REGISTRATION));
  }

  static Map<String, AttributeValue> pointerKey(String pk) {
    return Map.of(PK, s(pk), SK, s(SK_POINTER));
  }

  static Map<String, AttributeValue> toItem(Registration registration) {
    Map<String, AttributeValue> item = new HashMap<>(key(registration.id()));
    item.put(ATTR_REGISTRATION_ID, s(registration.id().value()));
    item.put(ATTR_OWNER, s(registration.owner().value()));
    item.put(ATTR_PLATFORM, s(registration.platform().wireName()));
    item.put(ATTR_APP, s(registration.appId().value()));
    if (registration.apnsEnvironment() != null) {
      item.put(ATTR_APNS_ENV, s(registration.apnsEnvironment().wireName()));
    }
    item.put(ATTR_DEVICE_TOKEN, s(registration.deviceToken().value()));
    item.put(ATTR_DEVICE_KEY, s(deviceKey(registration.appId(), registration.deviceToken())));
    item.put(ATTR_CALLBACK_TOKEN, s(registration.callbackToken().value()));
    item.put(ATTR_REGION, s(registration.region().code()));
    item.put(ATTR_KIND, s(registration.kind().wireName()));
    SubscriptionBinding binding = registration.binding();
    if (binding != null) {
      item.putAll(bindingAttributes(binding));
    }
    if (registration.clientState() != null) {
      item.put(ATTR_CLIENT_STATE_HASH, s(registration.clientState().value()));
    }
    if (registration.graphSubscription() != null) {
      item.putAll(graphAttributes(registration.graphSubscription()));
    }
    if (registration.boundAt() != null) {
      item.put(ATTR_BOUND_AT, millis(registration.boundAt()));
    }
    item.put(ATTR_CREATED_AT, millis(registration.createdAt()));
    item.put(ATTR_UPDATED_AT, millis(registration.updatedAt()));
    item.put(ATTR_TOKEN_REGISTERED_AT, millis(registration.tokenRegisteredAt()));
    item.put(ATTR_EXPIRES_AT, millis(registration.expiresAt()));
    item.put(ATTR_TTL, ttl(registration.expiresAt()));
    return item;
  }

  /** The binding's attributes; a missing Inbox FolderId is written as absent (compatibility). */
  static Map<String, AttributeValue> bindingAttributes(SubscriptionBinding binding) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    attributes.put(ATTR_SUBSCRIPTION_ID, s(binding.subscriptionId().value()));
    attributes.put(ATTR_STATUS_FREQUENCY, n(binding.statusFrequency().minutes()));
    if (binding.inboxFolderId() != null) {
      attributes.put(ATTR_INBOX_FOLDER_ID, s(binding.inboxFolderId().value()));
    }
    return attributes;
  }

  /** A bound Graph subscription's attributes. */
  static Map<String, AttributeValue> graphAttributes(GraphSubscription subscription) {
    return Map.of(
        ATTR_GRAPH_SUBSCRIPTION_ID, s(subscription.subscriptionId().value()),
        ATTR_GRAPH_EXPIRES_AT, millis(subscription.expiresAt()));
  }

  static Map<String, AttributeValue> pointerItem(
      String pk, RegistrationId target, Instant registrationExpiresAt, Instant now) {
    Instant expires = registrationExpiresAt.plus(POINTER_GRACE);
    return Map.of(
        PK, s(pk),
        SK, s(SK_POINTER),
        ATTR_REGISTRATION_ID, s(target.value()),
        ATTR_UPDATED_AT, millis(now),
        ATTR_EXPIRES_AT, millis(expires),
        ATTR_TTL, ttl(expires));
  }

  static Registration fromItem(Map<String, AttributeValue> item) {
    Platform platform = Platform.fromWire(ATTR_PLATFORM, requiredString(item, ATTR_PLATFORM));
    String environment = string(item, ATTR_APNS_ENV);
    SubscriptionBinding binding = binding(item);
    String kind = string(item, ATTR_KIND);
    String clientState = string(item, ATTR_CLIENT_STATE_HASH);
    GraphSubscription graph = graphSubscription(item);
    boolean bound = binding != null || graph != null;
    Instant boundAt = bound ? Attributes.instant(item, ATTR_BOUND_AT) : null;
    return new Registration(
        RegistrationId.of(requiredString(item, ATTR_REGISTRATION_ID)),
        OwnerHash.of(requiredString(item, ATTR_OWNER)),
        AppId.of(requiredString(item, ATTR_APP)),
        environment == null ? null : ApnsEnvironment.fromWire(ATTR_APNS_ENV, environment),
        DeviceToken.of(platform, requiredString(item, ATTR_DEVICE_TOKEN)),
        CallbackToken.parse(requiredString(item, ATTR_CALLBACK_TOKEN)),
        Region.fromCode(ATTR_REGION, requiredString(item, ATTR_REGION)),
        RegistrationKind.fromWire(ATTR_KIND, kind),
        binding,
        clientState == null ? null : ClientStateHash.parse(clientState),
        graph,
        // Items bound before boundAt existed count from their last update.
        !bound ? null : (boundAt != null ? boundAt : requiredInstant(item, ATTR_UPDATED_AT)),
        requiredInstant(item, ATTR_CREATED_AT),
        requiredInstant(item, ATTR_UPDATED_AT),
        requiredInstant(item, ATTR_TOKEN_REGISTERED_AT),
        requiredInstant(item, ATTR_EXPIRES_AT));
  }

  private static @Nullable GraphSubscription graphSubscription(Map<String, AttributeValue> item) {
    String id = string(item, ATTR_GRAPH_SUBSCRIPTION_ID);
    if (id == null) {
      return null;
    }
    return new GraphSubscription(
        SubscriptionId.of(id), requiredInstant(item, ATTR_GRAPH_EXPIRES_AT));
  }

  private static @Nullable SubscriptionBinding binding(Map<String, AttributeValue> item) {
    String subscriptionId = string(item, ATTR_SUBSCRIPTION_ID);
    if (subscriptionId == null) {
      return null;
    }
    Long minutes = Attributes.number(item, ATTR_STATUS_FREQUENCY);
    String inbox = string(item, ATTR_INBOX_FOLDER_ID);
    return new SubscriptionBinding(
        SubscriptionId.of(subscriptionId),
        inbox == null ? null : FolderId.of(inbox),
        minutes == null
            ? StatusFrequency.EXCHANGE_DEFAULT
            : new StatusFrequency(minutes.intValue()));
  }
}
