/**
 * Badge rules: what a notification means for the device. Pure decisions ({@link
 * dev.inboxpush.listener.badge.BadgeRules}) plus the per-device wake-up throttle. See
 * docs/architecture.md, "Badge rules".
 */
@NullMarked
package dev.inboxpush.listener.badge;

import org.jspecify.annotations.NullMarked;
