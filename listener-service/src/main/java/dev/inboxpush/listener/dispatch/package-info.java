/**
 * The dispatcher interface the listener owns: one push for one registration in, an outcome value
 * out. Platform implementations (APNs with pushy, FCM with firebase-admin) live in sub-packages and
 * hide their SDKs behind it; the delivery path alone calls {@link
 * dev.inboxpush.listener.dispatch.Dispatcher}, with a {@link dev.inboxpush.listener.dispatch.Push},
 * and gets a {@link dev.inboxpush.listener.dispatch.DispatchOutcome} whose reason is a provider's
 * or one of our own {@link dev.inboxpush.listener.dispatch.LaneReason}s.
 */
@NullMarked
package dev.inboxpush.listener.dispatch;

import org.jspecify.annotations.NullMarked;
