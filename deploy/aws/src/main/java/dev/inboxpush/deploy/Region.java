package dev.inboxpush.deploy;

import java.util.List;

/**
 * The three regions and who stands in for whom: each region's listener hostname fails over to the
 * next region in this ring (us-east-1 → eu-west-1 → ap-southeast-1 → us-east-1), so every region
 * backs up exactly one other and none carries two regions' callbacks at once.
 */
enum Region {
  US_EAST_1("us-east-1"),
  EU_WEST_1("eu-west-1"),
  AP_SOUTHEAST_1("ap-southeast-1");

  /** Where the Global Table's own stack lives; the other two hold replicas. */
  static final Region HOME = US_EAST_1;

  private final String code;

  Region(String code) {
    this.code = code;
  }

  String code() {
    return code;
  }

  /** The region whose ALB serves this region's listener hostname while this one's is unhealthy. */
  Region backup() {
    Region[] all = values();
    return all[(ordinal() + 1) % all.length];
  }

  /** The region this one stands in for (the inverse of {@link #backup()}). */
  Region backedUp() {
    Region[] all = values();
    return all[(ordinal() + all.length - 1) % all.length];
  }

  static List<Region> others(Region region) {
    return List.of(values()).stream().filter(r -> r != region).toList();
  }
}
