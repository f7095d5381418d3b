/**
 * A simulated Microsoft Graph change-notification sender: the validation handshake, change
 * notification batches and lifecycle notifications, shaped as Microsoft documents them
 * (changeNotificationCollection; see the project's protocol reference, section 6), sent over real
 * HTTP to a listener's Graph URLs.
 */
@NullMarked
package dev.inboxpush.testsupport.graph;

import org.jspecify.annotations.NullMarked;
