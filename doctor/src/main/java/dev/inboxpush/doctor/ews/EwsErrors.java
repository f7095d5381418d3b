package dev.inboxpush.doctor.ews;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import microsoft.exchange.webservices.data.core.exception.http.HttpErrorException;
import microsoft.exchange.webservices.data.core.exception.service.remote.ServiceResponseException;
import org.apache.http.conn.ConnectTimeoutException;

/**
 * What an ews-java-api exception means for the report, one rule per row (the first that matches the
 * exception or a cause wins):
 *
 * <table>
 *   <tr><th>in the chain</th><th>problem</th><th>why</th></tr>
 *   <tr><td>{@code HttpErrorException} 401</td><td>CREDENTIALS_REFUSED</td>
 *       <td>Exchange (IIS) refused the Basic credentials or the bearer token</td></tr>
 *   <tr><td>{@code HttpErrorException} 403</td><td>EWS_DISABLED</td>
 *       <td>what Exchange answers when EWSEnabled is false or the app is not allowed</td></tr>
 *   <tr><td>{@code HttpErrorException} other</td><td>EWS_ERROR</td>
 *       <td>404 (no EWS at that path), 5xx without a SOAP fault, ...</td></tr>
 *   <tr><td>{@code ServiceResponseException}</td><td>EWS_ERROR</td>
 *       <td>an EWS response code (or a SOAP fault's), such as ErrorExceededSubscriptionCount</td></tr>
 *   <tr><td>{@code SSLException}</td><td>TLS</td>
 *       <td>the handshake or the certificate failed (normally caught earlier by {@link TlsCheck})</td></tr>
 *   <tr><td>{@code ConnectTimeoutException}, {@code ConnectException}, {@code UnknownHostException},
 *       {@code NoRouteToHostException}</td><td>UNREACHABLE</td><td>no connection</td></tr>
 *   <tr><td>{@code SocketTimeoutException}, {@code InterruptedIOException}</td><td>TIMEOUT</td>
 *       <td>connected, no answer within the timeout</td></tr>
 *   <tr><td>anything else</td><td>EWS_ERROR</td><td>an answer ews-java-api could not read</td></tr>
 * </table>
 *
 * <p>Details name the HTTP status, the response code or the exception's own message (ews-java-api
 * and Apache HttpClient put no credential in them).
 */
final class EwsErrors {

  private EwsErrors() {}

  static <T> EwsResult.Failed<T> classify(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof HttpErrorException http) {
        int status = http.getHttpErrorCode();
        return switch (status) {
          case 401 ->
              new EwsResult.Failed<>(EwsProblem.CREDENTIALS_REFUSED, "HTTP 401 Unauthorized");
          case 403 -> new EwsResult.Failed<>(EwsProblem.EWS_DISABLED, "HTTP 403 Forbidden");
          default -> new EwsResult.Failed<>(EwsProblem.EWS_ERROR, "HTTP " + status);
        };
      }
      if (e instanceof ServiceResponseException response) {
        return new EwsResult.Failed<>(
            EwsProblem.EWS_ERROR, response.getErrorCode() + ": " + oneLine(response.getMessage()));
      }
      if (e instanceof SSLException) {
        return new EwsResult.Failed<>(EwsProblem.TLS, oneLine(e.getMessage()));
      }
      if (e instanceof ConnectTimeoutException
          || e instanceof ConnectException
          || e instanceof UnknownHostException
          || e instanceof NoRouteToHostException) {
        return new EwsResult.Failed<>(EwsProblem.UNREACHABLE, oneLine(e.toString()));
      }
      if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
        return new EwsResult.Failed<>(EwsProblem.TIMEOUT, "no answer in time (" + e + ")");
      }
    }
    return new EwsResult.Failed<>(
        EwsProblem.EWS_ERROR, "unexpected answer: " + oneLine(String.valueOf(failure)));
  }

  private static String oneLine(String text) {
    String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
