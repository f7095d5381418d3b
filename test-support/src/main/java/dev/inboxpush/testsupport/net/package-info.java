/** Network fixtures: an HTTP CONNECT proxy, as enterprise egress has. */
@NullMarked
package dev.inboxpush.testsupport.net;

import org.jspecify.annotations.NullMarked;
