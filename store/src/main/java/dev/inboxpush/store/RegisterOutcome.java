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

  /**
   * The same owner had already registered this device token for this app with the other kind (EWS
   * where Graph was asked, or the reverse): nothing was changed, and the existing registration is
   * returned (API: 409; the app deletes it and registers again to switch).
   */
  record KindConflict(Registration registration) implements RegisterOutcome {}
}
