/**
 * Microsoft Graph change notifications on the wire: the hardened streaming parser of a notification
 * POST's JSON ({@code changeNotificationCollection}) into values, for change and lifecycle
 * notifications alike.
 *
 * <p>Like {@code ews}, it knows nothing of the store, the dispatcher or any vendor: the answer
 * rules consume its {@link dev.inboxpush.listener.graph.GraphBatch}. Nothing of a message's content
 * is kept: only the subscription, the secret to verify, the change type and the lifecycle event.
 */
@NullMarked
package dev.inboxpush.listener.graph;

import org.jspecify.annotations.NullMarked;
