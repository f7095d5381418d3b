/**
 * Network fixtures: an HTTP CONNECT proxy, as enterprise egress has, and a raw HTTP/1.1 connection
 * for what clients do to kept-alive connections.
 */
@NullMarked
package dev.inboxpush.testsupport.net;

import org.jspecify.annotations.NullMarked;
