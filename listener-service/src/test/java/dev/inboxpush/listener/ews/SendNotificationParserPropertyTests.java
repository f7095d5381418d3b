package dev.inboxpush.listener.ews;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Corpus payloads, mutated: the parser either parses them or refuses them with its own error,
 * nothing else, and never takes long doing so.
 */
class SendNotificationParserPropertyTests {

  /** Far above the microseconds a parse takes; only a blow-up would come near it. */
  private static final Duration BOUND = Duration.ofSeconds(1);

  private static final String[] SNIPPETS = {
    "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    "&a;",
    "&amp;",
    "<![CDATA[<t:UnreadCount>9</t:UnreadCount>]]>",
    "<t:UnreadCount>-5</t:UnreadCount>",
    "<t:UnreadCount>seven</t:UnreadCount>",
    "<t:UnreadCount>99999999999</t:UnreadCount>",
    "<t:FolderId Id=''/>",
    "<m:Notification>",
    "</m:Notification>",
    "<t:StatusEvent/>",
    "<x xmlns='urn:x'><y/></x>",
    "<?pi data?>",
    "<!-- c -->",
    "\u0000",
    "\ufeff",
    "\u00e9\u202e",
    "<a>".repeat(40),
    "xmlns:t='urn:other'",
  };

  private final SendNotificationParser parser = new SendNotificationParser(ParserLimits.DEFAULTS);

  /** A corpus payload with one mutation applied. */
  @Provide
  Arbitrary<byte[]> mutatedPayloads() {
    Arbitrary<byte[]> payloads = Arbitraries.of(Corpus.NAMES).map(Corpus::payload);
    // Insertions at element boundaries reach deepest into the parser, so they come most often.
    return Arbitraries.frequencyOf(
        Tuple.of(
            1,
            Combinators.combine(payloads, Arbitraries.doubles().between(0, 1))
                .as(SendNotificationParserPropertyTests::truncate)),
        Tuple.of(
            2,
            Combinators.combine(payloads, Arbitraries.doubles().between(0, 1), Arbitraries.bytes())
                .as(SendNotificationParserPropertyTests::overwrite)),
        Tuple.of(
            5,
            Combinators.combine(
                    payloads, Arbitraries.doubles().between(0, 1), Arbitraries.of(SNIPPETS))
                .as(SendNotificationParserPropertyTests::insert)),
        Tuple.of(
            1,
            Combinators.combine(
                    payloads,
                    Arbitraries.doubles().between(0, 1),
                    Arbitraries.doubles().between(0, 1))
                .as(SendNotificationParserPropertyTests::duplicateSlice)),
        Tuple.of(
            1,
            Combinators.combine(
                    payloads,
                    Arbitraries.doubles().between(0, 1),
                    Arbitraries.integers().between(1, 64))
                .as(SendNotificationParserPropertyTests::deleteSlice)));
  }

  @Property(tries = 1500)
  void mutatedPayloadsParseOrFailWithTheParsersOwnErrorQuickly(
      @ForAll("mutatedPayloads") byte[] body) {
    long start = System.nanoTime();
    try {
      SendNotification parsed = parser.parse(body);
      assertThat(parsed.messages()).isNotEmpty();
      parsed.messages().stream()
          .filter(Notification.class::isInstance)
          .flatMap(message -> ((Notification) message).events().stream())
          .filter(ChangeEvent.class::isInstance)
          .map(event -> ((ChangeEvent) event).unreadCount())
          .forEach(
              count ->
                  assertThat(count == null || count >= 0).as("unread count %s", count).isTrue());
    } catch (EwsParseException expected) {
      assertThat(expected.reason()).isNotNull();
    }
    // Any other exception escapes and fails the property.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
  }

  @Property(tries = 300)
  void arbitraryBytesNeverEscapeAsAnotherException(@ForAll byte[] body) {
    try {
      parser.parse(body);
    } catch (EwsParseException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static int at(byte[] payload, double fraction) {
    return (int) Math.min(payload.length - 1, Math.floor(fraction * payload.length));
  }

  private static byte[] truncate(byte[] payload, double fraction) {
    return Arrays.copyOf(payload, at(payload, fraction));
  }

  private static byte[] overwrite(byte[] payload, double fraction, byte value) {
    byte[] copy = payload.clone();
    copy[at(payload, fraction)] = value;
    return copy;
  }

  /** Inserts right after the next tag end, so that most insertions land between elements. */
  private static byte[] insert(byte[] payload, double fraction, String snippet) {
    int position = at(payload, fraction);
    while (position < payload.length && payload[position] != '>') {
      position++;
    }
    position = Math.min(payload.length, position + 1);
    byte[] extra = snippet.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[payload.length + extra.length];
    System.arraycopy(payload, 0, out, 0, position);
    System.arraycopy(extra, 0, out, position, extra.length);
    System.arraycopy(payload, position, out, position + extra.length, payload.length - position);
    return out;
  }

  private static byte[] duplicateSlice(byte[] payload, double from, double to) {
    int a = at(payload, Math.min(from, to));
    int b = at(payload, Math.max(from, to));
    return splice(payload, b, Arrays.copyOfRange(payload, a, Math.min(b, a + 4096)));
  }

  private static byte[] splice(byte[] payload, int position, byte[] slice) {
    byte[] out = new byte[payload.length + slice.length];
    System.arraycopy(payload, 0, out, 0, position);
    System.arraycopy(slice, 0, out, position, slice.length);
    System.arraycopy(payload, position, out, position + slice.length, payload.length - position);
    return out;
  }

  private static byte[] deleteSlice(byte[] payload, double fraction, int length) {
    int from = at(payload, fraction);
    int to = Math.min(payload.length, from + length);
    byte[] out = new byte[payload.length - (to - from)];
    System.arraycopy(payload, 0, out, 0, from);
    System.arraycopy(payload, to, out, from, payload.length - to);
    return out;
  }
}
