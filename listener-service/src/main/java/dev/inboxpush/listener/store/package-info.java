/** Opens the shared DynamoDB store for the listener service and exposes it as beans. */
@NullMarked
package dev.inboxpush.listener.store;

import org.jspecify.annotations.NullMarked;
