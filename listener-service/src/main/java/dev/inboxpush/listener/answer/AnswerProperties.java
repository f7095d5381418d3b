package dev.inboxpush.listener.answer;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.listener.answer.*}.
 *
 * @param pushBudget how long a POST waits for APNs/FCM before the badge goes pending and Exchange
 *     is answered {@code OK} (default 2s; Exchange's own timeout is undocumented, answer fast)
 * @param wakeThrottle at most one wake-up without a count per device in this window (default 30s);
 *     later ones are coalesced into one due when the window ends
 * @param replicationAllowance how long a registration's absence, or its binding to another
 *     subscription, must have stood in this region before Exchange is told {@code Unsubscribe}
 *     (default 60s; 0 for a table in one region only); until then the POST is answered 503 ({@link
 *     ReplicationAllowance})
 */
@ConfigurationProperties("inboxpush.listener.answer")
@Validated
public record AnswerProperties(
    @DefaultValue("2s") @DurationMin(millis = 10) @DurationMax(seconds = 30) Duration pushBudget,
    @DefaultValue("30s") @DurationMin(millis = 0) Duration wakeThrottle,
    @DefaultValue("60s") @DurationMin(millis = 0) @DurationMax(minutes = 30)
        Duration replicationAllowance) {}
