/**
 * The one delivery path: a push tried within the push budget, its outcome recorded on the
 * registration's listener state and in metrics, and what follows from it (a pending badge parked
 * until the provider's {@code Retry-After}, a dead token's registrations deleted and their cached
 * lookups forgotten). The answer rules use it for the push a POST decides; the redelivery worker
 * for a parked badge.
 */
@NullMarked
package dev.inboxpush.listener.delivery;

import org.jspecify.annotations.NullMarked;
