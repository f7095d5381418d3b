/**
 * The whole system on one machine: {@link dev.inboxpush.local.stack.LocalStack} starts dynalite,
 * the local authorization server, the local APNs/FCM peer with its push inspector, and per region a
 * registration service and a listener, each in its own process on 127.0.0.1, configured by
 * environment variables only (the services with the keys production uses); {@link
 * dev.inboxpush.local.stack.LocalRun} is the {@code ./inbox-push local} command around it. Tests
 * start the same set through {@code LocalStack} rather than wiring their own.
 */
@NullMarked
package dev.inboxpush.local.stack;

import org.jspecify.annotations.NullMarked;
