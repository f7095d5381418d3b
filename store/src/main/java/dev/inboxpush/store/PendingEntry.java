package dev.inboxpush.store;

import dev.inboxpush.model.RegistrationId;

/**
 * A due pending badge found by the redelivery worker.
 *
 * @param registrationId whose badge it is
 * @param pending the badge
 */
public record PendingEntry(RegistrationId registrationId, PendingBadge pending) {}
