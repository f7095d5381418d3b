package dev.inboxpush.model;

/** How secret or correlating values are shortened for logs. */
final class Redaction {

  private Redaction() {}

  /** The first four characters, an ellipsis and the length. */
  static String shorten(String value) {
    int keep = Math.min(4, value.length() / 4);
    return value.substring(0, keep) + "…(" + value.length() + ")";
  }
}
