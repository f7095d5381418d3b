package dev.inboxpush.listener.ews;

/** The namespace URIs of EWS push notifications. Prefixes vary by server; these do not. */
final class EwsNamespaces {

  private EwsNamespaces() {}

  /** SOAP 1.1 envelope (what every Exchange capture uses). */
  static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";

  /** SOAP 1.2 envelope (the WSDL declares a SOAP 1.2 binding too). */
  static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

  /** EWS messages: {@code SendNotification}, {@code ResponseMessages}, {@code Notification}. */
  static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";

  /** EWS types: events and their children. */
  static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
}
