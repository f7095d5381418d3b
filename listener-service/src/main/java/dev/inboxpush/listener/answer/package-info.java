/**
 * The answer rules (docs/architecture.md, "Answering Exchange"): from a parsed POST to {@code OK},
 * {@code Unsubscribe} or 503, with the push tried within a budget and a pending badge whenever it
 * could not be delivered in time.
 */
@NullMarked
package dev.inboxpush.listener.answer;

import org.jspecify.annotations.NullMarked;
