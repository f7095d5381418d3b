/**
 * FCM behind the listener's dispatcher interface, with firebase-admin: {@link
 * dev.inboxpush.listener.dispatch.fcm.FcmDispatcher} (a pool of FirebaseApps per project behind a
 * lane), {@link dev.inboxpush.listener.dispatch.fcm.FcmOutcomes} (every FCM error code to an
 * outcome, with why), the device contract's message, the transport options and settings.
 */
@NullMarked
package dev.inboxpush.listener.dispatch.fcm;

import org.jspecify.annotations.NullMarked;
