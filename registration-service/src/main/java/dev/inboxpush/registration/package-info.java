/** The registration service. */
@NullMarked
package dev.inboxpush.registration;

import org.jspecify.annotations.NullMarked;
