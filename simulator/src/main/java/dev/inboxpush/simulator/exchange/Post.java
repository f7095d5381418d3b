package dev.inboxpush.simulator.exchange;

import org.jspecify.annotations.Nullable;

/**
 * One {@code SendNotification} POST as Exchange would send it, with what the badge rules must make
 * of it (docs/architecture.md, "Badge rules"). Immutable; {@code body} is not copied.
 *
 * @param kind what it says, for the report: {@code new-mail}, {@code read}, {@code unread}, {@code
 *     move}, {@code child-folder}, {@code delete}, {@code more-events}, {@code heartbeat}, {@code
 *     error-form}, and {@code new-mail} again for the probe after a token died
 * @param subscriptionId the subscription it is for
 * @param body the SOAP bytes
 * @param inboxCount the {@code UnreadCount} of its newest Inbox folder {@code ModifiedEvent}, which
 *     becomes the account's count; null when that event has no count or there is none
 * @param wakes whether it must wake the device without a count (new mail or an Inbox change, with
 *     no count)
 * @param failure whether it is the error form (the app is woken to subscribe again)
 */
public record Post(
    String kind,
    String subscriptionId,
    byte[] body,
    @Nullable Integer inboxCount,
    boolean wakes,
    boolean failure) {}
