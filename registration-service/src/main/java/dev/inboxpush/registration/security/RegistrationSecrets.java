package dev.inboxpush.registration.security;

import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.ClientState;
import dev.inboxpush.model.ClientStateHash;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.store.RegistrationIdentities;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A new registration's id, callback token and Graph {@code clientState}, derived under the
 * owner-hash key (the one secret every region's registration API already shares, replicated by
 * Secrets Manager) instead of drawn at random, so that a device registering in two regions within
 * the replication lag gets the same registration from both and the Global Table merges them.
 *
 * <ul>
 *   <li>id: the first 16 bytes of HMAC-SHA256(k_id, device claim, replaced id), as a version 8
 *       (custom) UUID;
 *   <li>callback secret: HMAC-SHA256(k_cb, id), 32 bytes after the id's 16 ({@link CallbackToken});
 *   <li>Graph clientState secret: HMAC-SHA256(k_cs, id), 32 bytes.
 * </ul>
 *
 * Each k is HMAC-SHA256(owner-hash key, its label): no output of one use is an output of another,
 * nor of the owner hash (whose inputs, issuer and subject, always hold a line feed; no label does).
 * Without the key, an id or the device's identifiers say nothing about the secrets. The sequence of
 * ids belongs to the device and its owner; a deleted registration's claim remembers the retired id
 * (store's {@code DeviceClaims}), so registering again after a deletion takes the next id of the
 * sequence: new URLs and a new secret.
 *
 * <p>Thread-safe: a {@link Mac} is made per call. Never fails for valid arguments.
 */
public final class RegistrationSecrets implements RegistrationIdentities {

  private final SecretKeySpec idKey;
  private final SecretKeySpec callbackKey;
  private final SecretKeySpec clientStateKey;

  /**
   * @param secret {@code inboxpush.registration.owner-hash-key}, at least 32 characters (checked by
   *     {@link OwnerHasher}, which every start builds first)
   */
  public RegistrationSecrets(String secret) {
    SecretKeySpec master = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.idKey = subkey(master, "inboxpush registration id v1");
    this.callbackKey = subkey(master, "inboxpush callback token v1");
    this.clientStateKey = subkey(master, "inboxpush graph clientState v1");
  }

  @Override
  public RegistrationId newId(String deviceClaim, @Nullable RegistrationId replaced) {
    ByteBuffer bytes =
        ByteBuffer.wrap(mac(idKey, deviceClaim, replaced == null ? "" : replaced.value()));
    long most = bytes.getLong();
    long least = bytes.getLong();
    // RFC 9562: version 8 (custom) in the 13th hex digit, variant 10 in the top bits of byte 8.
    most = (most & ~0xF000L) | 0x8000L;
    least = (least & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new RegistrationId(new UUID(most, least).toString());
  }

  @Override
  public CallbackToken callbackToken(RegistrationId id) {
    return CallbackToken.of(id, mac(callbackKey, id.value()));
  }

  @Override
  public boolean repeatable() {
    return true;
  }

  @Override
  public ClientStateHash clientStateHash(RegistrationId id) {
    return clientState(id).hash();
  }

  /** The Graph {@code clientState} secret of the registration {@code id}. */
  public ClientState clientState(RegistrationId id) {
    return ClientState.of(mac(clientStateKey, id.value()));
  }

  @Override
  public String toString() {
    return "RegistrationSecrets[***]";
  }

  private static SecretKeySpec subkey(SecretKeySpec master, String label) {
    return new SecretKeySpec(mac(master, label), "HmacSHA256");
  }

  /** HMAC-SHA256 of the parts, each preceded by its length, so that no two lists collide. */
  private static byte[] mac(SecretKeySpec key, String... parts) {
    Mac mac = Hmac.sha256(key);
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
      mac.update(bytes);
    }
    return mac.doFinal();
  }
}
