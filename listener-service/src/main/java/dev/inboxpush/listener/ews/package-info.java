/**
 * EWS push notifications on the wire: the hardened streaming parser of {@code SendNotification} and
 * the writer of the {@code SendNotificationResult} reply.
 *
 * <p>The parser produces protocol-neutral records ({@link
 * dev.inboxpush.listener.ews.SendNotification} and the events in it) that the answer rules and
 * badge logic consume; nothing outside this package sees XML. Elements are matched by namespace
 * URI, never by prefix.
 */
@NullMarked
package dev.inboxpush.listener.ews;

import org.jspecify.annotations.NullMarked;
