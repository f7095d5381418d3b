/**
 * The EWS bytes: {@code SendNotification} bodies as Exchange writes them ({@link
 * dev.inboxpush.simulator.ews.Notifications}) and the {@code SubscriptionStatus} read from an
 * answer ({@link dev.inboxpush.simulator.ews.Answers}). The JDK only.
 */
@NullMarked
package dev.inboxpush.simulator.ews;

import org.jspecify.annotations.NullMarked;
