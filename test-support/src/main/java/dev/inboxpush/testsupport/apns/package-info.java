/** A local APNs: pushy's MockApnsServer over TLS, with generated keys and a record of arrivals. */
@NullMarked
package dev.inboxpush.testsupport.apns;

import org.jspecify.annotations.NullMarked;
