package dev.inboxpush.testsupport.fcm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What the send endpoint refuses as {@code INVALID_ARGUMENT}, field by field, and what it accepts:
 * raw bodies posted with the JDK client, as firebase-admin only sends well-formed messages.
 */
class FakeFcmServerValidationIT extends FakeFcmServerITSupport {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # body                                                          | violated field
          not json                                                        | ''
          []                                                              | ''
          {}                                                              | message
          {"message":"hello"}                                             | message
          {"message":{}}                                                  | message.token
          {"message":{"token":""}}                                        | message.token
          {"message":{"token":7}}                                         | message.token
          {"message":{"token":"t","data":{"unread":7}}}                   | message.data[unread]
          {"message":{"token":"t","data":["x"]}}                          | message.data
          {"message":{"token":"t","android":"high"}}                      | message.android
          {"message":{"token":"t","android":{"priority":"urgent"}}}       | message.android.priority
          {"message":{"token":"t","android":{"ttl":"3600"}}}              | message.android.ttl
          {"message":{"token":"t","android":{"ttl":3600}}}                | message.android.ttl
          {"message":{"token":"t","android":{"ttl":"1.0123456789s"}}}     | message.android.ttl
          {"message":{"token":"t","android":{"ttl":"-1s"}}}               | message.android.ttl
          {"message":{"token":"t","android":{"collapse_key":7}}}          | message.android.collapse_key
          """)
  void malformedMessagesAreInvalidArgument(String body, String field) throws Exception {
    HttpResponse<String> response = post(HttpClient.Version.HTTP_2, body);

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(400);
    assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("details").get(0).path("@type").asString())
        .isEqualTo("type.googleapis.com/google.firebase.fcm.v1.FcmError");
    assertThat(error.path("details").get(0).path("errorCode").asString())
        .isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("details").get(1).path("fieldViolations").get(0).path("field").asString())
        .isEqualTo(field);
    assertThat(server.rejected(FcmErrorCode.INVALID_ARGUMENT)).isEqualTo(1);
    assertThat(server.requests()).singleElement().extracting(FcmRequest::body).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        """
        {"message":{"token":"t"}}""",
        """
        {"message":{"token":"t","data":{"kind":"wake"},"android":{"priority":"normal","ttl":"0s"}}}""",
        """
        {"message":{"token":"t","android":{"priority":"HIGH","ttl":"0.5s","collapse_key":"k"}}}""",
        """
        {"message":{"token":"t","android":{"ttl":"2419200.123456789s"}},"validate_only":false}""",
        """
        {"message":{"token":"t","notification":{"title":"You have new messages"}}}"""
      })
  void wellFormedRawMessagesAreAccepted(String body) throws Exception {
    HttpResponse<String> response = post(HttpClient.Version.HTTP_2, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("name").asString())
        .startsWith("projects/demo-project/messages/");
    assertThat(server.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.message()).isEqualTo(parse(body).get("message")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String body) {
    return JSON.readValue(body, Map.class);
  }
}
