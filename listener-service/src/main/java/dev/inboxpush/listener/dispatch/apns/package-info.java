/**
 * APNs behind the listener's dispatcher interface. So far: the outcome table ({@link
 * dev.inboxpush.listener.dispatch.apns.ApnsOutcomes}); the pushy-based dispatcher comes with its
 * own issue.
 */
@NullMarked
package dev.inboxpush.listener.dispatch.apns;

import org.jspecify.annotations.NullMarked;
