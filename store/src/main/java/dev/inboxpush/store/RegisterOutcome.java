package dev.inboxpush.store;

import dev.inboxpush.model.Registration;

/** What {@link RegistrationStore#register} did. */
public sealed interface RegisterOutcome {

  /** The registration as stored after the call. */
  Registration registration();

  /** A new registration was created (API: 201). */
  record Created(Registration registration) implements RegisterOutcome {}

  /**
   * The same owner had already registered this device token for this app: that registration was
   * refreshed (new expiry, token re-registered now) and is returned (API: 200).
   */
  record Refreshed(Registration registration) implements RegisterOutcome {}
}
