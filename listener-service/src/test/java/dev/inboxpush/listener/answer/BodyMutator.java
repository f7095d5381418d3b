package dev.inboxpush.listener.answer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile SOAP bodies made from real ones: each {@link #next()} takes a seed payload and applies
 * one to four mutations, some blind (bytes flipped, cut, repeated, spliced), most aimed at what an
 * XML parser and our limits must survive (DOCTYPEs and entities, XInclude, deep nesting, huge text
 * and attributes, processing instructions, wrong encodings, invalid UTF-8, numbers out of range).
 * Deterministic for a given {@link Random}. Not thread-safe.
 */
final class BodyMutator {

  private static final String[] INSERTS = {
    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
    "<!DOCTYPE x SYSTEM \"http://127.0.0.1:1/evil.dtd\">",
    "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
    "&xxe;",
    "&b;&b;&b;&b;",
    "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\"/>",
    "<?xml-stylesheet href=\"http://127.0.0.1:1/x.xsl\"?>",
    "<![CDATA[</t:UnreadCount>]]>",
    "<t:UnreadCount>-1</t:UnreadCount>",
    "<t:UnreadCount>99999999999999999999999</t:UnreadCount>",
    "<t:UnreadCount>seven</t:UnreadCount>",
    "<t:Watermark></t:Watermark>",
    "<m:SubscriptionId>" + "S".repeat(5000) + "</m:SubscriptionId>",
    "\u0000",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">",
    "</soap:Body>",
  };

  private final Random random;
  private final List<byte[]> seeds;

  BodyMutator(Random random, List<byte[]> seeds) {
    this.random = random;
    this.seeds = seeds;
  }

  byte[] next() {
    byte[] body = seeds.get(random.nextInt(seeds.size()));
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      body = mutate(body);
    }
    return body;
  }

  private byte[] mutate(byte[] body) {
    int at = body.length == 0 ? 0 : random.nextInt(body.length);
    return switch (random.nextInt(12)) {
      case 0 -> flip(body, 1 + random.nextInt(8));
      case 1 -> java.util.Arrays.copyOf(body, at);
      case 2 -> splice(body, at, slice(body));
      case 3 -> splice(body, at, slice(seeds.get(random.nextInt(seeds.size()))));
      case 4 -> nest(body, at, 10 + random.nextInt(5000));
      case 5 -> splice(body, at, ascii("x".repeat(random.nextInt(300_000))));
      case 6 ->
          splice(
              body,
              at,
              ascii(" a" + random.nextInt(99) + "=\"" + "v".repeat(random.nextInt(70_000)) + "\""));
      case 7 -> splice(body, at, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
      case 8 -> splice(body, 0, ascii("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
      case 9 -> splice(body, 0, ascii(INSERTS[random.nextInt(3)]));
      default -> splice(body, at, ascii(INSERTS[random.nextInt(INSERTS.length)]));
    };
  }

  private byte[] flip(byte[] body, int count) {
    byte[] copy = body.clone();
    for (int i = 0; i < count && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }

  private byte[] slice(byte[] body) {
    if (body.length == 0) {
      return body;
    }
    int from = random.nextInt(body.length);
    int to = Math.min(body.length, from + 1 + random.nextInt(2000));
    return java.util.Arrays.copyOfRange(body, from, to);
  }

  private static byte[] nest(byte[] body, int at, int depth) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      open.append("<t:Folder>");
      close.append("</t:Folder>");
    }
    return splice(body, at, ascii(open.toString() + close));
  }

  private static byte[] splice(byte[] body, int at, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + insert.length);
    out.write(body, 0, at);
    out.write(insert, 0, insert.length);
    out.write(body, at, body.length - at);
    return out.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
