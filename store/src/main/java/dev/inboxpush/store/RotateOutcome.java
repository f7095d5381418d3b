package dev.inboxpush.store;

import dev.inboxpush.model.Registration;

/** What {@link RegistrationStore#rotateToken} did. */
public sealed interface RotateOutcome {

  /** The registration now carries the new token (or already did). */
  record Rotated(Registration registration) implements RotateOutcome {}

  /** No live registration of that id belongs to the caller. */
  record NotFound() implements RotateOutcome {}

  /**
   * The caller already has another live registration for the new token and app; rotating would make
   * two (API: 409).
   */
  record TokenInUse() implements RotateOutcome {}
}
