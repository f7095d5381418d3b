package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.millis;
import static dev.inboxpush.store.dynamo.Attributes.s;
import static dev.inboxpush.store.dynamo.Attributes.ttl;

import dev.inboxpush.model.Registration;
import dev.inboxpush.model.RegistrationId;
import java.time.Instant;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * What every pointer item supports, whatever its kind (device claim, subscription pointer; see
 * {@link TableLayout}): reading the registration it names, strongly consistently, and extending or
 * deleting it only while it still names a given registration, so that a pointer taken over by
 * another registration in the meantime is left alone.
 *
 * <p>Thread-safe; holds nothing but the {@link TableRequests}. Failures as there; a pointer that
 * names another registration is an outcome, not a failure.
 */
final class Pointers {

  private final TableRequests table;

  Pointers(TableRequests table) {
    this.table = table;
  }

  /** The registration the pointer under {@code pk} names, read strongly consistently. */
  Mono<Optional<RegistrationId>> target(String pk) {
    return table
        .get("GetItem(pointer)", RegistrationItems.pointerKey(pk))
        .map(
            item ->
                Optional.ofNullable(Attributes.string(item, TableLayout.ATTR_REGISTRATION_ID))
                    .map(RegistrationId::of))
        .defaultIfEmpty(Optional.empty());
  }

  /**
   * Moves the pointer's expiry to {@link RegistrationItems#POINTER_GRACE} after the registration's,
   * if it still names it; emits whether it did.
   */
  Mono<Boolean> extend(String pk, Registration registration, Instant now) {
    Instant pointerExpiry = registration.expiresAt().plus(RegistrationItems.POINTER_GRACE);
    Expression update =
        new Expression()
            .set(TableLayout.ATTR_EXPIRES_AT, millis(pointerExpiry))
            .set(TableLayout.ATTR_TTL, ttl(pointerExpiry))
            .set(TableLayout.ATTR_UPDATED_AT, millis(now))
            .ifEquals(TableLayout.ATTR_REGISTRATION_ID, s(registration.id().value()));
    return table.updateIf("UpdateItem(pointer)", RegistrationItems.pointerKey(pk), update);
  }

  /** Deletes the pointer under {@code pk} if it still names {@code target}. */
  Mono<Void> release(String pk, RegistrationId target) {
    Expression mine =
        new Expression().ifEquals(TableLayout.ATTR_REGISTRATION_ID, s(target.value()));
    return table.deleteIf("DeleteItem(pointer)", RegistrationItems.pointerKey(pk), mine).then();
  }
}
