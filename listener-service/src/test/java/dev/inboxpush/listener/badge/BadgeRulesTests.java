package dev.inboxpush.listener.badge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboxpush.listener.ews.Corpus;
import dev.inboxpush.listener.ews.EwsParseException;
import dev.inboxpush.listener.ews.Notification;
import dev.inboxpush.listener.ews.ParserLimits;
import dev.inboxpush.listener.ews.SendNotificationParser;
import dev.inboxpush.model.FolderId;
import dev.inboxpush.model.PushKind;
import org.junit.jupiter.api.Test;

/** The badge rules on the corpus payloads (Inbox {@code AQMkAGFkZmE1SAMPLEINBOXAAA=}). */
class BadgeRulesTests {

  private static final FolderId INBOX = FolderId.of("AQMkAGFkZmE1SAMPLEINBOXAAA=");
  private final SendNotificationParser parser = new SendNotificationParser(ParserLimits.DEFAULTS);

  private Notification notification(String name) throws EwsParseException {
    return (Notification) parser.parse(Corpus.payload(name)).messages().get(0);
  }

  @Test
  void newMailWithAnInboxCountIsAHighPriorityBadge() throws EwsParseException {
    BadgeDecision decision = BadgeRules.decide(notification("new-mail-exchange2016"), INBOX);

    assertThat(decision)
        .isEqualTo(new BadgeDecision(BadgeDecision.Action.BADGE, PushKind.NEW_MAIL, 7, true));
  }

  @Test
  void aReadStateChangeIsAnUnreadChangedBadgeAtNormalPriority() throws EwsParseException {
    assertThat(BadgeRules.decide(notification("read-state-change"), INBOX))
        .isEqualTo(
            new BadgeDecision(BadgeDecision.Action.BADGE, PushKind.UNREAD_CHANGED, 6, false));
  }

  @Test
  void theNewestInboxCountWins() throws EwsParseException {
    assertThat(BadgeRules.decide(notification("more-events-500"), INBOX).inboxUnreadCount())
        .isEqualTo(499);
  }

  @Test
  void anInboxEventWithoutACountIsAWakeUpNotAZero() throws EwsParseException {
    assertThat(BadgeRules.decide(notification("inbox-modified-without-count"), INBOX))
        .isEqualTo(
            new BadgeDecision(BadgeDecision.Action.WAKE, PushKind.UNREAD_CHANGED, null, false));
  }

  @Test
  void whenTheNewestInboxEventHasNoCountTheCountIsUnknown() throws EwsParseException {
    Notification notification =
        (Notification)
            parser
                .parse(
                    dev.inboxpush.testsupport.ews.EwsPayloads.notification("s")
                        .folderModified(INBOX.value(), 5)
                        .folderModified(INBOX.value(), null)
                        .build())
                .messages()
                .get(0);

    assertThat(BadgeRules.decide(notification, INBOX))
        .isEqualTo(
            new BadgeDecision(BadgeDecision.Action.WAKE, PushKind.UNREAD_CHANGED, null, false));
  }

  @Test
  void otherFoldersNeverSetTheBadge() throws EwsParseException {
    // folder-events: a subfolder ModifiedEvent with UnreadCount 0, moves and copies of folders.
    assertThat(BadgeRules.decide(notification("folder-events"), INBOX).action())
        .isEqualTo(BadgeDecision.Action.NONE);
  }

  @Test
  void withoutAKnownInboxOnlyNewMailWakesTheDevice() throws EwsParseException {
    assertThat(BadgeRules.decide(notification("new-mail-exchange2016"), null))
        .isEqualTo(new BadgeDecision(BadgeDecision.Action.WAKE, PushKind.NEW_MAIL, null, true));
    assertThat(BadgeRules.decide(notification("read-state-change"), null).action())
        .isEqualTo(BadgeDecision.Action.NONE);
  }

  @Test
  void heartbeatsAndItemEventsAloneAskForNothing() throws EwsParseException {
    assertThat(BadgeRules.decide(notification("heartbeat-exchange2016"), INBOX).action())
        .isEqualTo(BadgeDecision.Action.NONE);
  }

  @Test
  void theInboxIsLearnedFromTheFirstNewMailEvent() throws EwsParseException {
    assertThat(BadgeRules.inboxFromNewMail(notification("new-mail-exchange2016"))).contains(INBOX);
    assertThat(BadgeRules.inboxFromNewMail(notification("read-state-change"))).isEmpty();
  }
}
