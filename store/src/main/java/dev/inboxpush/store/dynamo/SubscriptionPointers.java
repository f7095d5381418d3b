package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.millis;
import static dev.inboxpush.store.dynamo.Attributes.s;

import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionBinding;
import dev.inboxpush.model.SubscriptionId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The subscription pointers: {@code SUB#} pointer items, one per SubscriptionId, naming the
 * registration bound to it and, in {@value TableLayout#ATTR_POINTER_OWNER}, that registration's
 * owner (key {@link TableLayout#subscriptionPk}). They answer "which registration is bound to this
 * SubscriptionId" strongly consistently, where the GSI could not: in the compatibility mode an
 * {@code Unsubscribe} rests on the answer.
 *
 * <p>Written on every bind and every registration or re-registration that binds, even when
 * unchanged. A live pointer is never moved to another owner: knowing someone's SubscriptionId must
 * not let a caller take their notifications over; such a write is skipped and logged at INFO, not
 * failed. A pointer of the same owner, or one that has lapsed, is taken. A pointer is released only
 * while it still names the registration releasing it. Pointers expire with their registration plus
 * {@link RegistrationItems#POINTER_GRACE}.
 *
 * <p>Thread-safe; holds nothing but the {@link TableRequests}. Failures as there.
 */
final class SubscriptionPointers {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionPointers.class);

  private final TableRequests table;
  private final Pointers pointers;

  SubscriptionPointers(TableRequests table) {
    this.table = table;
    this.pointers = new Pointers(table);
  }

  /** The registration the pointer of {@code subscriptionId} names, read strongly consistently. */
  Mono<Optional<RegistrationId>> target(SubscriptionId subscriptionId) {
    return pointers.target(TableLayout.subscriptionPk(subscriptionId));
  }

  /**
   * Points the SubscriptionId {@code after} is bound to at it, and releases the one it was bound to
   * {@code before}, if that differs.
   */
  Mono<Void> point(Registration after, @Nullable Registration before, Instant now) {
    SubscriptionBinding bound = after.binding();
    SubscriptionBinding old = before == null ? null : before.binding();
    Mono<Void> release =
        old != null && (bound == null || !bound.subscriptionId().equals(old.subscriptionId()))
            ? release(old.subscriptionId(), after.id())
            : Mono.empty();
    if (bound == null) {
      return release;
    }
    // Written again even when unchanged: idempotent, and it repairs a pointer an earlier bind
    // failed to write.
    Map<String, AttributeValue> pointer =
        new HashMap<>(
            RegistrationItems.pointerItem(
                TableLayout.subscriptionPk(bound.subscriptionId()),
                after.id(),
                after.expiresAt(),
                now));
    pointer.put(TableLayout.ATTR_POINTER_OWNER, s(after.owner().value()));
    // Another caller's live pointer is never moved: knowing someone's SubscriptionId must not let a
    // caller take their notifications over (compatibility mode). Same owner or lapsed: take it.
    Expression claim =
        new Expression()
            .ifNotExists(TableLayout.PK)
            .orEquals(TableLayout.ATTR_POINTER_OWNER, s(after.owner().value()))
            .orBefore(TableLayout.ATTR_EXPIRES_AT, millis(now));
    return table
        .putIf("PutItem(subscription pointer)", pointer, claim)
        .doOnNext(
            written -> {
              if (!written) {
                log.info(
                    "registration {} bound a SubscriptionId another caller holds; pointer left alone",
                    after.id());
              }
            })
        .then(release);
  }

  /** Deletes the pointer of {@code subscriptionId} if it still names {@code target}. */
  Mono<Void> release(SubscriptionId subscriptionId, RegistrationId target) {
    return pointers.release(TableLayout.subscriptionPk(subscriptionId), target);
  }
}
