package dev.inboxpush.store;

import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.ClientStateHash;
import dev.inboxpush.model.RegistrationId;
import org.jspecify.annotations.Nullable;

/**
 * Where a new registration's id and callback token come from.
 *
 * <p>Why it matters: the table is one Global Table, and a device that registers in one region and,
 * seconds later (a failover), in another finds no device claim there yet. With ids drawn at random
 * each region would create its own registration, and the device would hold two, splitting its
 * accounts' counts. With {@linkplain #repeatable() repeatable} identities, derived from the device
 * claim under a key every region holds, both regions create the same registration (same id, same
 * callback URL), and the Global Table's last-writer-wins merges the two writes into one.
 *
 * <p>Implementations are thread-safe and pure: no I/O, no failure for valid arguments.
 */
public interface RegistrationIdentities {

  /**
   * The id for a new registration of the device claim {@code deviceClaim} (an opaque key that names
   * (platform, app, device token, owner)), replacing {@code replaced}: the registration the claim
   * named before (expired, deleted or rotated away), or the previous candidate when that one's
   * partition is taken; null for the first.
   */
  RegistrationId newId(String deviceClaim, @Nullable RegistrationId replaced);

  /** The callback token of the registration {@code id}. */
  CallbackToken callbackToken(RegistrationId id);

  /**
   * The hash of the Graph {@code clientState} secret of the registration {@code id}, or null when
   * the secret is the caller's ({@link NewRegistration#clientState()}: drawn at random).
   */
  @Nullable ClientStateHash clientStateHash(RegistrationId id);

  /**
   * Whether {@link #newId} and {@link #callbackToken} give the same answer for the same arguments,
   * in every region: then the store first looks whether the id is already taken (another region's
   * registration of the same device, replicated before its claim), and does not delete what it
   * wrote under such an id when a write fails outright (the same id may be another region's live
   * registration; the device's next registration adopts it).
   */
  boolean repeatable();

  /**
   * Random ids and secrets: for a table in one region, the listener (which creates none), tests.
   */
  RegistrationIdentities RANDOM =
      new RegistrationIdentities() {
        @Override
        public RegistrationId newId(String deviceClaim, @Nullable RegistrationId replaced) {
          return RegistrationId.random();
        }

        @Override
        public CallbackToken callbackToken(RegistrationId id) {
          return CallbackToken.generateFor(id);
        }

        @Override
        public @Nullable ClientStateHash clientStateHash(RegistrationId id) {
          return null;
        }

        @Override
        public boolean repeatable() {
          return false;
        }

        @Override
        public String toString() {
          return "RegistrationIdentities.RANDOM";
        }
      };
}
