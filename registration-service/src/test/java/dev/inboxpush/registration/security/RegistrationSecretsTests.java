package dev.inboxpush.registration.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.RegistrationId;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RegistrationSecretsTests {

  static final String KEY = "a-region-shared-owner-hash-key-0123456789";
  static final String CLAIM = "DEV#3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  final RegistrationSecrets secrets = new RegistrationSecrets(KEY);

  @Test
  void everyRegionWithTheKeyDerivesTheSameIdentity() {
    RegistrationSecrets elsewhere = new RegistrationSecrets(KEY);

    RegistrationId id = secrets.newId(CLAIM, null);

    assertThat(elsewhere.newId(CLAIM, null)).isEqualTo(id);
    assertThat(elsewhere.callbackToken(id)).isEqualTo(secrets.callbackToken(id));
    assertThat(elsewhere.clientState(id).value()).isEqualTo(secrets.clientState(id).value());
    assertThat(elsewhere.clientStateHash(id)).isEqualTo(secrets.clientStateHash(id));
  }

  @Test
  void anotherKeyDerivesNothingAlike() {
    RegistrationSecrets other = new RegistrationSecrets(KEY.replace('a', 'b'));
    RegistrationId id = secrets.newId(CLAIM, null);

    assertThat(other.newId(CLAIM, null)).isNotEqualTo(id);
    assertThat(other.callbackToken(id)).isNotEqualTo(secrets.callbackToken(id));
    assertThat(other.clientState(id).value()).isNotEqualTo(secrets.clientState(id).value());
  }

  @Test
  void idsAreVersion8UuidsThatFollowTheClaimAndTheReplacedOne() {
    Set<RegistrationId> seen = new HashSet<>();
    RegistrationId previous = null;
    for (int i = 0; i < 50; i++) {
      RegistrationId id = secrets.newId(CLAIM, previous);
      UUID uuid = UUID.fromString(id.value());
      assertThat(uuid.version()).isEqualTo(8);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(seen.add(id)).as("a new id each step").isTrue();
      previous = id;
    }
    assertThat(secrets.newId(CLAIM + "x", null)).isNotIn(seen);
  }

  @Test
  void theCallbackTokenNamesItsRegistrationAndCarriesA256BitSecret() {
    RegistrationId id = secrets.newId(CLAIM, null);

    CallbackToken token = secrets.callbackToken(id);

    assertThat(token.registrationId()).contains(id);
    assertThat(token.value()).hasSize(64);
    assertThat(secrets.callbackToken(secrets.newId(CLAIM + "x", null)).value().substring(22))
        .isNotEqualTo(token.value().substring(22));
    assertThat(secrets.repeatable()).isTrue();
  }

  @Test
  void theClientStateIsTheRegistrationsOwnAndNeverItsCallbackSecret() {
    RegistrationId id = secrets.newId(CLAIM, null);
    String clientState = secrets.clientState(id).value();

    assertThat(clientState).hasSize(43);
    assertThat(secrets.clientStateHash(id).matches(clientState)).isTrue();
    assertThat(secrets.clientState(secrets.newId(CLAIM, id)).value()).isNotEqualTo(clientState);
    assertThat(secrets.callbackToken(id).value()).doesNotContain(clientState);
    assertThat(secrets.toString()).doesNotContain(KEY);
  }
}
