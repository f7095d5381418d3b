/**
 * The Exchange simulator: many devices and Exchange servers against a running inbox-push. {@link
 * dev.inboxpush.simulator.Simulator} runs a {@link dev.inboxpush.simulator.Scenario} against {@link
 * dev.inboxpush.simulator.Targets} and returns a {@link dev.inboxpush.simulator.Report}; {@link
 * dev.inboxpush.simulator.Main} is the command around it. {@code registration} registers and binds
 * through the public API, {@code exchange} is Exchange's side (mailboxes, POSTs, retries), {@code
 * ews} writes and reads the SOAP, {@code check} reads the push inspector and compares badges.
 */
@NullMarked
package dev.inboxpush.simulator;

import org.jspecify.annotations.NullMarked;
