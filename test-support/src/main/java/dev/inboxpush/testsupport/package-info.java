/** Test fixtures shared by every module's tests: local protocol peers and builders. */
@NullMarked
package dev.inboxpush.testsupport;

import org.jspecify.annotations.NullMarked;
