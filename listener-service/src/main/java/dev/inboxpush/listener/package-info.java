/** The listener service. */
@NullMarked
package dev.inboxpush.listener;

import org.jspecify.annotations.NullMarked;
