/**
 * Netty in the services' test JVMs: a check that fails a test class when the leak detector reported
 * a buffer that was never released.
 */
@NullMarked
package dev.inboxpush.testsupport.netty;

import org.jspecify.annotations.NullMarked;
