package dev.inboxpush.testsupport.fcm;

import dev.inboxpush.testsupport.fcm.FcmMessageValidator.FieldViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error answers of the send endpoint, in Google's shape: {@code {"error":{"code":..,
 * "message":..,"status":..,"details":[..]}}}, where an FCM error carries a {@code
 * google.firebase.fcm.v1.FcmError} detail naming its {@code errorCode} (what firebase-admin turns
 * into {@code MessagingErrorCode}) and a malformed message also a {@code google.rpc.BadRequest}
 * detail with its field violations. Answers without an FCM detail (a bad path, a bad bearer token)
 * are counted by their Google status.
 *
 * <p>Stateless and thread-safe.
 */
final class GoogleErrors {

  private static final String FCM_ERROR_TYPE =
      "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final String BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private GoogleErrors() {}

  /** {@code 404 NOT_FOUND}: no such method at {@code path}, or not a {@code POST}. */
  static HttpAnswer notFound(String path) {
    return googleError(404, "NOT_FOUND", "Not found: " + path, List.of(), "NOT_FOUND", null);
  }

  /** {@code 401 UNAUTHENTICATED}, as Google answers a missing, unknown or expired OAuth2 token. */
  static HttpAnswer unauthenticated() {
    return googleError(
        401,
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token,"
            + " login cookie or other valid authentication credential.",
        List.of(),
        "UNAUTHENTICATED",
        null);
  }

  /** {@code 400 INVALID_ARGUMENT} listing what {@link FcmMessageValidator} found. */
  static HttpAnswer invalidArgument(List<FieldViolation> violations) {
    List<Map<String, String>> fields = new ArrayList<>();
    for (FieldViolation violation : violations) {
      Map<String, String> field = new LinkedHashMap<>();
      field.put("field", violation.field());
      field.put("description", violation.description());
      fields.add(field);
    }
    Map<String, Object> badRequest = new LinkedHashMap<>();
    badRequest.put("@type", BAD_REQUEST_TYPE);
    badRequest.put("fieldViolations", fields);
    return googleError(
        400,
        "INVALID_ARGUMENT",
        "Request contains an invalid argument.",
        List.of(fcmErrorDetail(FcmErrorCode.INVALID_ARGUMENT), badRequest),
        FcmErrorCode.INVALID_ARGUMENT.name(),
        null);
  }

  /** A scripted or drawn failure: its code's status and message, and its Retry-After if any. */
  static HttpAnswer failure(FcmFailure failure) {
    FcmErrorCode code = failure.code();
    return googleError(
        code.httpStatus(),
        code.status(),
        code.message(),
        List.of(fcmErrorDetail(code)),
        code.name(),
        failure.retryAfterHeader());
  }

  private static HttpAnswer googleError(
      int status,
      String googleStatus,
      String message,
      List<Object> details,
      String errorCode,
      @Nullable String retryAfter) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status);
    error.put("message", message);
    error.put("status", googleStatus);
    if (!details.isEmpty()) {
      error.put("details", details);
    }
    return new HttpAnswer(
        status,
        "application/json; charset=UTF-8",
        JSON.writeValueAsString(Map.of("error", error)),
        retryAfter,
        errorCode);
  }

  private static Map<String, Object> fcmErrorDetail(FcmErrorCode code) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("@type", FCM_ERROR_TYPE);
    detail.put("errorCode", code.name());
    return detail;
  }
}
