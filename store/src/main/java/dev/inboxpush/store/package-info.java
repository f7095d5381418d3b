/**
 * The store both services share: registrations (written by the registration API) and listener state
 * (written by listeners), as a reactive API. The DynamoDB implementation, its key schema and its
 * bootstrap live in {@link dev.inboxpush.store.dynamo}; no AWS type appears in this package.
 *
 * <p>Errors: an absent, expired or not-owned item is an empty result, never an error. A store that
 * cannot be reached, times out, throttles or answers with a server error fails the returned
 * publisher with {@link dev.inboxpush.store.StoreUnavailableException} (transient); a request the
 * store refuses for good (missing table, denied access) with its parent {@link
 * dev.inboxpush.store.StoreException}.
 */
@NullMarked
package dev.inboxpush.store;

import org.jspecify.annotations.NullMarked;
