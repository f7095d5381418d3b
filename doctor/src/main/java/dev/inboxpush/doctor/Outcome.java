package dev.inboxpush.doctor;

/**
 * What a run of the doctor found, one exit code each: the table of the README's "Diagnose a
 * mailbox" section, with the likely cause and the fix printed under a failed report. The codes are
 * part of the tool's interface (scripts and monitoring test them): never renumber one.
 */
public enum Outcome {
  PUSH_WORKS(0, "push works: Exchange reached the listener for this mailbox", "", ""),
  INTERNAL_ERROR(
      1,
      "the doctor itself failed",
      "an unexpected error inside the tool (the line above names it)",
      "report it with the output above; nothing of yours is at fault yet"),
  USAGE(
      2,
      "bad or missing input",
      "an option is missing or invalid, or a credential was not in the environment",
      "see --help; credentials come from the environment or the prompt, never from an argument"),
  EWS_UNREACHABLE(
      3,
      "the EWS endpoint is unreachable",
      "the host name does not resolve, nothing listens on that port, or a firewall drops the"
          + " connection from this machine",
      "check the EWS URL (https://<server>/EWS/Exchange.asmx; Exchange Online:"
          + " https://outlook.office365.com/EWS/Exchange.asmx), DNS, and that this machine may connect"
          + " to it"),
  EWS_TLS(
      4,
      "the EWS server's TLS certificate was rejected",
      "the certificate is for another name, expired or not yet valid, or issued by an authority this"
          + " machine does not trust (a self-signed or internal CA)",
      "install a certificate for the EWS host name from a trusted authority; for an internal CA, give"
          + " its root with --ews-ca-file. Mail apps check the same way"),
  EWS_TIMEOUT(
      5,
      "EWS did not answer in time",
      "the server accepted the connection but sent no answer within --timeout: an overloaded server,"
          + " or a proxy or load balancer holding the request",
      "retry with a longer --timeout; check the Exchange server's health and any device in between"),
  CREDENTIALS_REFUSED(
      6,
      "Exchange refused the credentials",
      "a wrong user name or password, an expired or mis-scoped OAuth2 token, or Basic authentication"
          + " switched off (Exchange Online accepts OAuth2 only)",
      "check the test mailbox's credentials; for Exchange Online use a bearer token with the"
          + " EWS.AccessAsUser.All (delegated) or full_access_as_app (application) permission"),
  EWS_DISABLED(
      7,
      "EWS is switched off for this mailbox or tenant",
      "Exchange answered 403 Forbidden: EWSEnabled is false for the organisation or the mailbox, or the"
          + " app is not in EWSAllowedAppIDs. Exchange Online is retiring EWS (tenant by tenant from"
          + " October 2026, for good in April 2027)",
      "on-premises: Set-CASMailbox -EwsEnabled $true (and Set-OrganizationConfig -EwsEnabled $true);"
          + " Exchange Online: move this mailbox's apps to inbox-push's Microsoft Graph mode, which does"
          + " not need EWS"),
  EWS_ERROR(
      8,
      "Exchange answered with an EWS error",
      "the operation was refused with the EWS response code shown above",
      "ErrorExceededSubscriptionCount: the mailbox has too many subscriptions (Exchange Online: 20)"
          + " — remove stale ones; ErrorInvalidSubscriptionRequest: use one mailbox, the Inbox;"
          + " ErrorAccessDenied / ErrorImpersonateUserDenied: grant the account access to the mailbox;"
          + " others: see Microsoft's EWS response code reference"),
  REGISTRATION_FAILED(
      9,
      "the registration service failed",
      "it is unreachable, refused the token (401: expired, another issuer, no `inboxpush`"
          + " audience), limited the rate (429), or answered an error",
      "check --registration-url and the token in INBOXPUSH_DOCTOR_REGISTRATION_TOKEN; a throw-away"
          + " registration left behind expires by itself, or delete it with DELETE"
          + " /v1/registrations/{id}"),
  LISTENER_UNREACHABLE(
      10,
      "Exchange cannot reach the listener",
      "the subscription was created, but no notification reached the listener within --wait: an"
          + " outbound firewall, or an Exchange server that must use a proxy to reach the internet"
          + " (since Exchange 2013 the Mailbox server posts the notifications)",
      "allow outbound HTTPS from every Exchange Mailbox server to the callback URL's host; behind a"
          + " proxy set Set-ExchangeServer -InternetWebProxy and, in the EWS web.config"
          + " (%ExchangeInstallPath%\\ClientAccess\\exchweb\\ews\\web.config), <system.net><defaultProxy>"
          + "<proxy proxyaddress=\"http://proxy:port\" bypassonlocal=\"true\"/></defaultProxy>"
          + "</system.net>, then restart MSExchangeServicesAppPool; Exchange logs MSExchange Web"
          + " Services events 6 and 7 for notifications it could not send"),
  LISTENER_UNSUBSCRIBED(
      11,
      "the listener answered Unsubscribe",
      "the throw-away registration vanished while Exchange was posting to it, so the listener ended"
          + " the subscription: the push provider refused the device token as dead (always so for the"
          + " made-up token when a test message is pushed, unless --device-token names a test"
          + " device), or the registration was deleted or expired",
      "give --device-token of a test device of the app; if it is a real device, check the app's"
          + " --platform, --app-id and --apns-environment"),
  TEST_MESSAGE_NOT_NOTIFIED(
      12,
      "no notification for the test message",
      "Exchange reached the listener (its heartbeat arrived), but no notification of the test"
          + " message arrived within --mail-wait: the message went to another mailbox or folder, mail"
          + " delivery is slow, or the subscription does not cover the Inbox",
      "check that the test message reached the Inbox of the test mailbox, then run again with a"
          + " longer --mail-wait");

  private final int exitCode;
  private final String title;
  private final String cause;
  private final String fix;

  Outcome(int exitCode, String title, String cause, String fix) {
    this.exitCode = exitCode;
    this.title = title;
    this.cause = cause;
    this.fix = fix;
  }

  public int exitCode() {
    return exitCode;
  }

  /** One line: what was found. */
  public String title() {
    return title;
  }

  /** The likely cause; empty for {@link #PUSH_WORKS}. */
  public String cause() {
    return cause;
  }

  /** What to do about it; empty for {@link #PUSH_WORKS}. */
  public String fix() {
    return fix;
  }
}
