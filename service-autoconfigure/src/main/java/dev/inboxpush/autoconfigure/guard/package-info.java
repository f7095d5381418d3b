/**
 * The public server's guard, the same in both services: an in-flight limit that refuses work past
 * it at once ({@link dev.inboxpush.autoconfigure.guard.InFlightLimit}, answered 503 with {@code
 * Retry-After} by each service's own error edge from {@link
 * dev.inboxpush.autoconfigure.guard.ServerOverloadedException}), and the Netty server's timeouts
 * that keep a slow client from holding a connection ({@link
 * dev.inboxpush.autoconfigure.guard.RequestHeadDeadline} for the request head, Reactor Netty's read
 * and request timeouts for the body). Settings: {@link
 * dev.inboxpush.autoconfigure.guard.ServerGuardProperties}. The management server is not limited.
 */
@NullMarked
package dev.inboxpush.autoconfigure.guard;

import org.jspecify.annotations.NullMarked;
