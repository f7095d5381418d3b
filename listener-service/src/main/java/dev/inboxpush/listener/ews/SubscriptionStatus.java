package dev.inboxpush.listener.ews;

/** The answer to Exchange: keep sending, or end the subscription. */
public enum SubscriptionStatus {
  OK("OK"),
  UNSUBSCRIBE("Unsubscribe");

  private final String wireValue;

  SubscriptionStatus(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The {@code SubscriptionStatus} element's text. */
  public String wireValue() {
    return wireValue;
  }
}
