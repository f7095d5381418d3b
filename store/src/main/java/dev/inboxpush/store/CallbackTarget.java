package dev.inboxpush.store;

import dev.inboxpush.model.Registration;
import java.util.Objects;

/**
 * What a callback POST needs from the table, read together: the registration its token names and
 * that registration's listener state ({@link ListenerState#empty} when no listener wrote any yet).
 */
public record CallbackTarget(Registration registration, ListenerState state) {

  public CallbackTarget {
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(state, "state");
    if (!state.registrationId().equals(registration.id())) {
      throw new IllegalArgumentException("the state of another registration");
    }
  }
}
