/**
 * A fake FCM HTTP v1 endpoint ({@link dev.inboxpush.testsupport.fcm.FakeFcmServer}) that speaks
 * HTTP/2 over TLS and answers with Google's documented error shapes, and the client-side wiring
 * ({@link dev.inboxpush.testsupport.fcm.FakeFcmTransport}) that points firebase-admin's own HTTP/2
 * transport at it.
 */
@NullMarked
package dev.inboxpush.testsupport.fcm;

import org.jspecify.annotations.NullMarked;
