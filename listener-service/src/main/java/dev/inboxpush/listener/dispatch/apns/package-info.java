/**
 * APNs behind the listener's dispatcher interface, with pushy: {@link
 * dev.inboxpush.listener.dispatch.apns.ApnsDispatcher} (clients per app and environment, each
 * behind a lane), {@link dev.inboxpush.listener.dispatch.apns.ApnsOutcomes} (every APNs answer to
 * an outcome, with why), the device contract's payload and headers, credentials and settings.
 */
@NullMarked
package dev.inboxpush.listener.dispatch.apns;

import org.jspecify.annotations.NullMarked;
