package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.s;

import dev.inboxpush.model.RegistrationId;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The device claims: {@code DEV#} pointer items, one per (platform, app, device token, owner), each
 * naming the registration that holds that device for that owner (key {@link TableLayout#claimPk}).
 * They make re-registration idempotent: a registration that finds a claim refreshes the claimed
 * registration instead of creating another.
 *
 * <p>A claim is only ever written conditionally: taken when free, or taken over from the holder the
 * caller read and found stale (its registration expired, was deleted or moved to another token) or
 * its own, so that of two concurrent claimants exactly one wins and the other learns it lost
 * ({@code false}, not an error). A claim is released only by its holder. Reads are strongly
 * consistent. Claims expire with their registration plus {@link RegistrationItems#POINTER_GRACE}.
 *
 * <p>Thread-safe; holds nothing but the {@link TableRequests}. Failures as there.
 */
final class DeviceClaims {

  private final TableRequests table;
  private final Pointers pointers;

  DeviceClaims(TableRequests table) {
    this.table = table;
    this.pointers = new Pointers(table);
  }

  /** The registration holding the claim {@code claimPk}, read strongly consistently. */
  Mono<Optional<RegistrationId>> holder(String claimPk) {
    return pointers.target(claimPk);
  }

  /**
   * Writes the claim {@code claimPk} for {@code claimant} if it is free ({@code heldBy} null) or
   * still held by {@code heldBy}; emits whether it did.
   */
  Mono<Boolean> claim(
      String claimPk,
      @Nullable RegistrationId heldBy,
      RegistrationId claimant,
      Instant claimantExpiresAt,
      Instant now) {
    Expression condition = new Expression();
    if (heldBy == null) {
      condition.ifNotExists(TableLayout.PK);
    } else {
      condition.ifEquals(TableLayout.ATTR_REGISTRATION_ID, s(heldBy.value()));
    }
    return table.putIf(
        "PutItem(claim)",
        RegistrationItems.pointerItem(claimPk, claimant, claimantExpiresAt, now),
        condition);
  }

  /** Deletes the claim {@code claimPk} if {@code holder} still holds it. */
  Mono<Void> release(String claimPk, RegistrationId holder) {
    return pointers.release(claimPk, holder);
  }
}
