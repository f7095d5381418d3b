/** Reading structured (JSON) log output in tests, and W3C trace ids to correlate it with. */
@NullMarked
package dev.inboxpush.testsupport.logs;

import org.jspecify.annotations.NullMarked;
