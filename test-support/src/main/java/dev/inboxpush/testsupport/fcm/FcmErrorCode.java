package dev.inboxpush.testsupport.fcm;

/**
 * The documented FCM HTTP v1 error codes
 * (firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode), each with the HTTP status and the
 * Google API status FCM answers it with. The names are the {@code errorCode} values of the {@code
 * google.firebase.fcm.v1.FcmError} detail, which is what firebase-admin turns into {@code
 * MessagingErrorCode}.
 */
public enum FcmErrorCode {

  /** The token is no longer valid: the app was uninstalled, or the token expired or was rotated. */
  UNREGISTERED(404, "NOT_FOUND", "Requested entity was not found."),

  /** A malformed token, package name, TTL, data key or an oversized message. */
  INVALID_ARGUMENT(
      400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token"),

  /** The token belongs to another sender (Firebase project). */
  SENDER_ID_MISMATCH(403, "PERMISSION_DENIED", "SenderId mismatch"),

  /** A project, device or topic message rate was exceeded. */
  QUOTA_EXCEEDED(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Send requests'"),

  /** FCM is overloaded; retry honouring Retry-After, with jittered back-off. */
  UNAVAILABLE(503, "UNAVAILABLE", "The service is currently unavailable."),

  /** An unknown internal error in FCM. */
  INTERNAL(500, "INTERNAL", "Internal error encountered."),

  /** The APNs certificate or web-push key configured in the Firebase project is invalid. */
  THIRD_PARTY_AUTH_ERROR(401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service");

  private final int httpStatus;
  private final String status;
  private final String message;

  FcmErrorCode(int httpStatus, String status, String message) {
    this.httpStatus = httpStatus;
    this.status = status;
    this.message = message;
  }

  /** The HTTP status FCM answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Google API status ({@code error.status}), e.g. {@code NOT_FOUND}. */
  public String status() {
    return status;
  }

  /** A plausible {@code error.message}; clients must not parse it. */
  public String message() {
    return message;
  }
}
