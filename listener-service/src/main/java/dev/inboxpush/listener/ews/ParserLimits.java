package dev.inboxpush.listener.ews;

/**
 * Bounds on what the parser reads, so that no body can cost more than a small, known amount of time
 * and memory. The body size itself is bounded by the endpoint before parsing.
 *
 * @param maxDepth deepest element nesting (a real notification nests 8 deep)
 * @param maxElements most elements in one body (a 500-event batch has about 3,500)
 * @param maxAttributeSize longest attribute value, in characters (ids are about 200)
 * @param maxTextLength longest text of one element, in characters
 * @param maxEvents most events in one body, over all its notifications
 */
public record ParserLimits(
    int maxDepth, long maxElements, int maxAttributeSize, long maxTextLength, int maxEvents) {

  /** Generous for any real Exchange server, tight for an attacker. */
  public static final ParserLimits DEFAULTS = new ParserLimits(32, 50_000, 4_096, 65_536, 5_000);

  public ParserLimits {
    if (maxDepth < 10
        || maxElements < 100
        || maxAttributeSize < 256
        || maxTextLength < 1_024
        || maxEvents < 1) {
      throw new IllegalArgumentException("parser limits too small for a real notification");
    }
  }
}
