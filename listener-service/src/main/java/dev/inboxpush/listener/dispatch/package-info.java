/**
 * The dispatcher interface the listener owns: one push for one registration in, an outcome value
 * out. Platform implementations (APNs with pushy, FCM with firebase-admin) live in sub-packages and
 * hide their SDKs behind it; the answer rules and the redelivery worker see only {@link
 * dev.inboxpush.listener.dispatch.Dispatcher}, {@link dev.inboxpush.listener.dispatch.Push} and
 * {@link dev.inboxpush.listener.dispatch.DispatchOutcome}.
 */
@NullMarked
package dev.inboxpush.listener.dispatch;

import org.jspecify.annotations.NullMarked;
