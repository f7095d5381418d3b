/** Time under the test's control. */
@NullMarked
package dev.inboxpush.testsupport.time;

import org.jspecify.annotations.NullMarked;
