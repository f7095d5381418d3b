/**
 * Finding the registration a POST is for: a bounded read-through cache in front of the store, with
 * negative entries, and the strongly consistent read that must confirm any {@code Unsubscribe}.
 */
@NullMarked
package dev.inboxpush.listener.lookup;

import org.jspecify.annotations.NullMarked;
