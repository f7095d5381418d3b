/**
 * What arrived and whether it is right: the push inspector read without gaps ({@link
 * dev.inboxpush.simulator.check.PushFeed}) and the badge check of every device against what the
 * simulator sent ({@link dev.inboxpush.simulator.check.BadgeCheck}), a pure function.
 */
@NullMarked
package dev.inboxpush.simulator.check;

import org.jspecify.annotations.NullMarked;
