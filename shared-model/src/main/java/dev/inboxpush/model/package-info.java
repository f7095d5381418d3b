/**
 * Domain types of inbox-push and the device contract.
 *
 * <p>Every type here validates itself at construction and throws {@link
 * dev.inboxpush.model.InvalidValueException} naming the field and what is wrong, never echoing the
 * rejected value (it may be a secret, or megabytes long). Values that must not reach logs (device
 * tokens, callback tokens, SubscriptionIds) print a shortened form from {@code toString()}.
 *
 * <p>No Spring, no AWS: both services and the store depend on this module.
 */
@NullMarked
package dev.inboxpush.model;

import org.jspecify.annotations.NullMarked;
