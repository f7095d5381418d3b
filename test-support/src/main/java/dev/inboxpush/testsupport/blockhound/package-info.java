/**
 * BlockHound in the services' test JVMs: the few blocking calls allowed on event loops, each named
 * and justified, and a check that BlockHound is armed.
 */
@NullMarked
package dev.inboxpush.testsupport.blockhound;

import org.jspecify.annotations.NullMarked;
