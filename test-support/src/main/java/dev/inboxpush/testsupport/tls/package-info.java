/** TLS material generated at run time for local peers (MockApnsServer, the fake FCM server). */
@NullMarked
package dev.inboxpush.testsupport.tls;

import org.jspecify.annotations.NullMarked;
