package dev.inboxpush.store.dynamo;

import static dev.inboxpush.store.dynamo.Attributes.millis;
import static dev.inboxpush.store.dynamo.Attributes.s;
import static dev.inboxpush.store.dynamo.Attributes.ttl;

import dev.inboxpush.model.RegistrationId;
import java.time.Duration;
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
 * <p>A claim is only ever written conditionally: taken when free (no item, or a released one), or
 * taken over from the holder the caller read and found stale (its registration expired, was deleted
 * or moved to another token) or its own, so that of two concurrent claimants exactly one wins and
 * the other learns it lost ({@code false}, not an error). A claim is released only by its holder,
 * and a released claim (a deletion through the API, a rotation away) stays as a tombstone naming
 * the registration it retired for {@link #RETIRED_KEPT} (a dead token's is {@linkplain #drop
 * dropped}): a new registration of the device then takes the id that follows the retired one in the
 * device's sequence ({@link dev.inboxpush.store.RegistrationIdentities}), so a deleted
 * registration's id, callback URL and secrets are not handed out again. Reads are strongly
 * consistent. Live claims expire with their registration plus {@link
 * RegistrationItems#POINTER_GRACE}.
 *
 * <p>Thread-safe; holds nothing but the {@link TableRequests}. Failures as there.
 */
final class DeviceClaims {

  /**
   * How long a released claim remembers the registration it retired: longer than a listener-state
   * item outlives its last write, so that no new registration shares a partition with leftovers.
   */
  static final Duration RETIRED_KEPT = Duration.ofDays(90);

  /**
   * A claim as read.
   *
   * @param holder the registration holding it; empty when the claim is free
   * @param retired the registration a released claim last named; null when it never was released
   *     (or the tombstone has expired)
   */
  record Claim(Optional<RegistrationId> holder, @Nullable RegistrationId retired) {}

  private final TableRequests table;
  private final Pointers pointers;

  DeviceClaims(TableRequests table) {
    this.table = table;
    this.pointers = new Pointers(table);
  }

  /** The registration holding the claim {@code claimPk}, read strongly consistently. */
  Mono<Optional<RegistrationId>> holder(String claimPk) {
    return read(claimPk).map(Claim::holder);
  }

  /** The claim {@code claimPk} with the registration it retired, read strongly consistently. */
  Mono<Claim> read(String claimPk) {
    return table
        .get("GetItem(pointer)", RegistrationItems.pointerKey(claimPk))
        .map(
            item -> {
              String holder = Attributes.string(item, TableLayout.ATTR_REGISTRATION_ID);
              String retired = Attributes.string(item, TableLayout.ATTR_RETIRED_ID);
              return new Claim(
                  Optional.ofNullable(holder).map(RegistrationId::of),
                  retired == null ? null : RegistrationId.of(retired));
            })
        .defaultIfEmpty(new Claim(Optional.empty(), null));
  }

  /**
   * Writes the claim {@code claimPk} for {@code claimant} if it is free ({@code heldBy} null: no
   * claim, or a released one) or still held by {@code heldBy}; emits whether it did.
   */
  Mono<Boolean> claim(
      String claimPk,
      @Nullable RegistrationId heldBy,
      RegistrationId claimant,
      Instant claimantExpiresAt,
      Instant now) {
    Expression condition = new Expression();
    if (heldBy == null) {
      condition.ifNotExists(TableLayout.ATTR_REGISTRATION_ID);
    } else {
      condition.ifEquals(TableLayout.ATTR_REGISTRATION_ID, s(heldBy.value()));
    }
    return table.putIf(
        "PutItem(claim)",
        RegistrationItems.pointerItem(claimPk, claimant, claimantExpiresAt, now),
        condition);
  }

  /**
   * Deletes the claim {@code claimPk} if {@code holder} still holds it, leaving no tombstone: for a
   * dead token's registrations, which listeners delete (IAM lets them delete device claims, not
   * update them) and which do not register again.
   */
  Mono<Void> drop(String claimPk, RegistrationId holder) {
    return pointers.release(claimPk, holder);
  }

  /**
   * Releases the claim {@code claimPk} if {@code holder} still holds it, leaving a tombstone that
   * names {@code holder} as retired for {@link #RETIRED_KEPT}.
   */
  Mono<Void> release(String claimPk, RegistrationId holder, Instant now) {
    Instant kept = now.plus(RETIRED_KEPT);
    Expression update =
        new Expression()
            .remove(TableLayout.ATTR_REGISTRATION_ID)
            .set(TableLayout.ATTR_RETIRED_ID, s(holder.value()))
            .set(TableLayout.ATTR_UPDATED_AT, millis(now))
            .set(TableLayout.ATTR_EXPIRES_AT, millis(kept))
            .set(TableLayout.ATTR_TTL, ttl(kept))
            .ifEquals(TableLayout.ATTR_REGISTRATION_ID, s(holder.value()));
    return table
        .updateIf("UpdateItem(claim)", RegistrationItems.pointerKey(claimPk), update)
        .then();
  }
}
