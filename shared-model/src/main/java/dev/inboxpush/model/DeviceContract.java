package dev.inboxpush.model;

/**
 * What an app receives: the payload keys of every push, shared by the dispatchers (which write
 * them) and the README (which documents them for app developers). Pushes are badge-only: no mail
 * content ever.
 *
 * <p>APNs: {@code
 * {"aps":{"badge":N,"content-available":1},"inboxpush":{"kind":K,"registrationId":R}}} with push
 * type {@code alert}, priority 10 when the POST carried new mail, else 5; without a count: {@code
 * {"aps":{"content-available":1},"inboxpush":{...}}}, push type {@code background}, priority 5.
 *
 * <p>FCM: a data message {@code {"kind":K,"unread":"N","registrationId":R}}, {@code unread} absent
 * when unknown; {@code android.priority} high only with new mail.
 */
public final class DeviceContract {

  private DeviceContract() {}

  /** APNs: the custom top-level dictionary beside {@code aps}. */
  public static final String APNS_CUSTOM_KEY = "inboxpush";

  /** The {@link PushKind} wire name. */
  public static final String KEY_KIND = "kind";

  /** The {@link RegistrationId} whose account changed. */
  public static final String KEY_REGISTRATION_ID = "registrationId";

  /** FCM: the unread count as decimal text; absent when unknown. */
  public static final String KEY_UNREAD = "unread";

  /** APNs priority for pushes of a POST that carried new mail (shown to the user). */
  public static final int APNS_PRIORITY_NEW_MAIL = 10;

  /** APNs priority for every other push (power-considerate delivery). */
  public static final int APNS_PRIORITY_OTHER = 5;
}
