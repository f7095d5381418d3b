/**
 * Exchange's side: a mailbox's changes and the events they produce ({@link
 * dev.inboxpush.simulator.exchange.Mailbox}), Exchange's retry schedule ({@link
 * dev.inboxpush.simulator.exchange.RetrySchedule}) and the POST of one notification until it is
 * answered ({@link dev.inboxpush.simulator.exchange.Poster}).
 */
@NullMarked
package dev.inboxpush.simulator.exchange;

import org.jspecify.annotations.NullMarked;
