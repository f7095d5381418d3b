/**
 * Network fixtures: an HTTP CONNECT proxy, as enterprise egress has, a raw HTTP/1.1 connection for
 * what clients do to kept-alive connections (and slow clients do to any), and a flood for overload
 * tests.
 */
@NullMarked
package dev.inboxpush.testsupport.net;

import org.jspecify.annotations.NullMarked;
