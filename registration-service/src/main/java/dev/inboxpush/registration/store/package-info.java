/** Opens the shared DynamoDB store for the registration service and exposes it as beans. */
@NullMarked
package dev.inboxpush.registration.store;

import org.jspecify.annotations.NullMarked;
