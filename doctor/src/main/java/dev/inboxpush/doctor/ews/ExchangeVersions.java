package dev.inboxpush.doctor.ews;

/** Exchange's product name from the version numbers in {@code ServerVersionInfo}. */
final class ExchangeVersions {

  private ExchangeVersions() {}

  static String describe(int major, int minor, int majorBuild, int minorBuild) {
    String product;
    if (major == 15 && minor >= 20) {
      product = "Exchange Online";
    } else if (major == 15 && minor == 2) {
      product = "Exchange 2019 or Subscription Edition";
    } else if (major == 15 && minor == 1) {
      product = "Exchange 2016";
    } else if (major == 15 && minor == 0) {
      product = "Exchange 2013";
    } else if (major == 14) {
      product = "Exchange 2010";
    } else if (major == 8) {
      product = "Exchange 2007";
    } else {
      product = "Exchange";
    }
    return product + " (" + major + "." + minor + "." + majorBuild + "." + minorBuild + ")";
  }
}
