/**
 * A fake FCM HTTP v1 endpoint ({@link dev.inboxpush.testsupport.fcm.FakeFcmServer}) that speaks
 * HTTP/2 over TLS and answers with Google's documented error shapes, and the client-side wiring
 * ({@link dev.inboxpush.testsupport.fcm.FakeFcmTransport}) that points firebase-admin's own HTTP/2
 * transport at it. The fake also answers service accounts' OAuth2 token requests, for accounts made
 * at run time ({@link dev.inboxpush.testsupport.fcm.FakeServiceAccount}). Tests use the server only
 * through its facade; the send endpoint, the token endpoint, message validation, the script of
 * failures and latency, and the record of what arrived are package-private parts behind it.
 */
@NullMarked
package dev.inboxpush.testsupport.fcm;

import org.jspecify.annotations.NullMarked;
