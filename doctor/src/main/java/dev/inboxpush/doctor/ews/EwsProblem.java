package dev.inboxpush.doctor.ews;

/** Why an EWS step failed, as the report tells an administrator. */
public enum EwsProblem {
  /** No connection: the name does not resolve, nothing listens, or a firewall drops it. */
  UNREACHABLE,
  /** The TLS handshake or the server's certificate was rejected. */
  TLS,
  /** Connected, but no answer in time. */
  TIMEOUT,
  /** HTTP 401: the credentials were refused. */
  CREDENTIALS_REFUSED,
  /** HTTP 403: EWS is switched off for the mailbox or tenant, or the app is not allowed. */
  EWS_DISABLED,
  /** An EWS error response (a response code other than NoError, a SOAP fault, an odd answer). */
  EWS_ERROR
}
