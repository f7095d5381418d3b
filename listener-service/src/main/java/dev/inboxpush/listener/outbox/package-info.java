/**
 * The pending-badge outbox: badges that could not be delivered while Exchange waited are found
 * through the sparse pending index and redelivered with backoff until accepted, dead or too old.
 */
@NullMarked
package dev.inboxpush.listener.outbox;

import org.jspecify.annotations.NullMarked;
