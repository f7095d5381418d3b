/**
 * What the listener and the registration service configure alike, applied to both by Spring Boot's
 * auto-configuration: the region this instance serves and the clock ({@link
 * dev.inboxpush.autoconfigure.CoreAutoConfiguration}), and the shared store opened from the
 * validated {@code inboxpush.dynamodb.*} settings with the table's readiness ({@link
 * dev.inboxpush.autoconfigure.StoreAutoConfiguration}). The services share nothing else of ours but
 * the model and the store.
 */
@NullMarked
package dev.inboxpush.autoconfigure;

import org.jspecify.annotations.NullMarked;
