package dev.inboxpush.listener.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.lookup.ReplicationAllowance.Absent;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Evidence;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Foreign;
import dev.inboxpush.listener.lookup.ReplicationAllowance.Unbound;
import dev.inboxpush.model.CallbackToken;
import dev.inboxpush.model.RegistrationId;
import dev.inboxpush.model.SubscriptionId;
import dev.inboxpush.testsupport.time.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicationAllowanceTests {

  static final Duration ALLOWANCE = Duration.ofSeconds(60);

  private final MutableClock clock = MutableClock.startingAt("2026-12-02T08:00:00Z");
  private final ReplicationAllowance allowance = new ReplicationAllowance(ALLOWANCE, clock, 1_000);
  private final Evidence absent = new Absent(CallbackToken.generate());

  @Test
  void evidenceIsSettledOnlyOnceItHasStoodTheAllowanceSinceItWasFirstSeen() {
    assertThat(allowance.settled(absent)).as("first seen").isFalse();
    clock.advance(ALLOWANCE.minusMillis(1));
    assertThat(allowance.settled(absent)).as("a millisecond short").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(allowance.settled(absent)).as("the allowance reached").isTrue();
    clock.advance(Duration.ofMinutes(30));
    assertThat(allowance.settled(absent)).as("and after").isTrue();
  }

  @Test
  void aContradictionStartsTheWaitOver() {
    allowance.settled(absent);
    clock.advance(ALLOWANCE);
    allowance.contradicted(absent);

    assertThat(allowance.settled(absent)).isFalse();
    clock.advance(ALLOWANCE);
    assertThat(allowance.settled(absent)).isTrue();
  }

  @Test
  void aSightingFirstSeenLongerAgoThanItIsRememberedStartsOver() {
    allowance.settled(absent);
    clock.advance(ALLOWANCE.plus(ReplicationAllowance.REMEMBERED).plusSeconds(1));

    assertThat(allowance.settled(absent)).isFalse();
  }

  @Test
  void eachPieceOfEvidenceWaitsOnItsOwn() {
    RegistrationId registration = RegistrationId.random();
    Evidence foreignB = new Foreign(registration, SubscriptionId.of("sub-b"));
    Evidence foreignC = new Foreign(registration, SubscriptionId.of("sub-c"));
    Evidence unbound = new Unbound(SubscriptionId.of("sub-b"));
    allowance.settled(foreignB);
    clock.advance(ALLOWANCE);

    assertThat(allowance.settled(foreignB)).isTrue();
    assertThat(allowance.settled(foreignC)).isFalse();
    assertThat(allowance.settled(unbound)).isFalse();
    assertThat(allowance.settled(new Foreign(registration, SubscriptionId.of("sub-b"))))
        .as("equal evidence is the same evidence")
        .isTrue();
  }

  @Test
  void aZeroAllowanceTrustsEveryConsistentReadAtOnce() {
    ReplicationAllowance none = new ReplicationAllowance(Duration.ZERO, clock, 1_000);

    assertThat(none.settled(absent)).isTrue();
    none.contradicted(absent);
    assertThat(none.settled(absent)).isTrue();
  }
}
