/**
 * The local APNs and FCM peer with its push inspector ({@link
 * dev.inboxpush.local.push.LocalPushServer}): pushy's MockApnsServer accepting any well-formed
 * device token for the configured topics while verifying provider tokens as Apple does, the fake
 * FCM server with a service account per project, both over TLS from one kept certificate authority,
 * and a web page and JSON API showing what arrived and making tokens dead.
 */
@NullMarked
package dev.inboxpush.local.push;

import org.jspecify.annotations.NullMarked;
