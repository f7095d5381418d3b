package dev.inboxpush.store;

import dev.inboxpush.model.PushKind;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A push that APNs or FCM has not accepted yet, kept on the registration's listener state until the
 * redelivery worker delivers it, the token turns out dead, or it grows too old. One per
 * registration: badges are absolute, so a newer one replaces an older one.
 *
 * @param pendingId identifies this value; clearing or rescheduling names it, so that a worker never
 *     clears a newer badge written while it was delivering an older one
 * @param badge the unread count, absent for a wake-up without a count
 * @param kind the device contract's kind
 * @param newMail whether the POST carried new mail (high priority)
 * @param since when this value was written
 * @param nextAttemptAt when the worker should try next
 * @param attempts deliveries tried so far
 */
public record PendingBadge(
    String pendingId,
    @Nullable Integer badge,
    PushKind kind,
    boolean newMail,
    Instant since,
    Instant nextAttemptAt,
    int attempts) {}
