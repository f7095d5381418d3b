/**
 * FCM behind the listener's dispatcher interface. So far: the outcome table ({@link
 * dev.inboxpush.listener.dispatch.fcm.FcmOutcomes}); the firebase-admin-based dispatcher comes with
 * its own issue.
 */
@NullMarked
package dev.inboxpush.listener.dispatch.fcm;

import org.jspecify.annotations.NullMarked;
