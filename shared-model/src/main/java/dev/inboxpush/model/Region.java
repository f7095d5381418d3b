package dev.inboxpush.model;

import org.jspecify.annotations.Nullable;

/**
 * The three regions inbox-push runs in. Each runs both services against its replica of the one
 * DynamoDB Global Table; any region's listener can serve any registration.
 */
public enum Region {
  US_EAST_1("us-east-1", "Americas"),
  EU_WEST_1("eu-west-1", "EMEA"),
  AP_SOUTHEAST_1("ap-southeast-1", "APAC");

  private final String code;
  private final String displayName;

  Region(String code, String displayName) {
    this.code = code;
    this.displayName = displayName;
  }

  /** The AWS region code, e.g. {@code eu-west-1}. */
  public String code() {
    return code;
  }

  /** The name shown to people, e.g. {@code EMEA}. */
  public String displayName() {
    return displayName;
  }

  /**
   * Finds a region by its AWS code (exact, lower case).
   *
   * @throws InvalidValueException naming {@code field} when the code is not one of ours
   */
  public static Region fromCode(String field, @Nullable String code) {
    String text = Checks.present(field, code);
    for (Region region : values()) {
      if (region.code.equals(text)) {
        return region;
      }
    }
    throw new InvalidValueException(field, "must be one of us-east-1, eu-west-1, ap-southeast-1");
  }
}
