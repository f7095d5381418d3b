package dev.inboxpush.listener.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inboxpush.testsupport.graph.GraphPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphNotificationParserTests {

  private static final String SUBSCRIPTION = "8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b";

  private final GraphNotificationParser parser = new GraphNotificationParser();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheDocumentedChangeBatchKeepingOnlyWhatTheRulesNeed() throws Exception {
    GraphBatch batch =
        parser.parse(
            GraphPayloads.batch()
                .expiringAt(Instant.parse("2026-03-04T18:00:00Z"))
                .created(SUBSCRIPTION, "secret-1")
                .updated(SUBSCRIPTION, "secret-1")
                .deleted("0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", "secret-2")
                .build());

    assertThat(batch.items())
        .containsExactly(
            new GraphItem(
                SUBSCRIPTION, "secret-1", "created", null, Instant.parse("2026-03-04T18:00:00Z")),
            new GraphItem(
                SUBSCRIPTION, "secret-1", "updated", null, Instant.parse("2026-03-04T18:00:00Z")),
            new GraphItem(
                "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
                "secret-2",
                "deleted",
                null,
                Instant.parse("2026-03-04T18:00:00Z")));
    assertThat(batch.items().get(0).isCreated()).isTrue();
    assertThat(batch.items().get(0).isLifecycle()).isFalse();
    assertThat(batch.items().get(0).toString()).doesNotContain("secret-1");
  }

  @Test
  void readsLifecycleItemsAsTheReferenceShowsThem() throws Exception {
    // Section 8.8 of the protocol reference, as Graph sends it (seven fraction digits, offset).
    String body =
        """
        {"value":[
          {"subscriptionId":"8e4f6a2c-1b3d-4e5f-9a7b-0c1d2e3f4a5b",
           "subscriptionExpirationDateTime":"2026-03-04T18:00:00.0000000+00:00",
           "tenantId":"6b0a9d4e-2c3f-4a1b-8e7d-9f0c1b2a3d4e",
           "clientState":"c5-7f2b1e9a04d3",
           "lifecycleEvent":"reauthorizationRequired"},
          {"subscriptionId":"0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
           "subscriptionExpirationDateTime":"2026-03-04T17:30:00+00:00",
           "tenantId":"6b0a9d4e-2c3f-4a1b-8e7d-9f0c1b2a3d4e",
           "clientState":"c5-7f2b1e9a04d3",
           "lifecycleEvent":"missed"}
        ]}
        """;

    GraphBatch batch = parser.parse(utf8(body));

    assertThat(batch.items()).hasSize(2).allMatch(GraphItem::isLifecycle);
    assertThat(batch.items().get(0).lifecycleEvent()).isEqualTo("reauthorizationRequired");
    assertThat(batch.items().get(0).subscriptionExpiresAt())
        .isEqualTo(Instant.parse("2026-03-04T18:00:00Z"));
    assertThat(batch.items().get(1).lifecycleEvent()).isEqualTo("missed");
  }

  @Test
  void unknownFieldsAndRichContentAreSkippedAndMistypedKnownFieldsReadAsAbsent() throws Exception {
    String body =
        """
        {"validationTokens":["eyJ0eXAi"],"value":[
          {"encryptedContent":{"data":"AAAA","dataKey":"BBBB","nested":[[1,2],{"a":{}}]},
           "subscriptionId":{"not":"a string"},"clientState":42,"changeType":["created"],
           "subscriptionExpirationDateTime":"yesterday","somethingNew":true}
        ],"@odata.nextLink":null}
        """;

    GraphBatch batch = parser.parse(utf8(body));

    assertThat(batch.items()).containsExactly(new GraphItem(null, null, null, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON              | <xml/>                          | MALFORMED",
        "truncated             | {\"value\":[{\"a\":1}           | MALFORMED",
        "trailing content      | {\"value\":[{}]} {}             | MALFORMED",
        "an array              | [{\"value\":[]}]                | NOT_A_COLLECTION",
        "no value              | {\"values\":[{}]}               | NOT_A_COLLECTION",
        "value not an array    | {\"value\":{}}                  | NOT_A_COLLECTION",
        "empty value           | {\"value\":[]}                  | NOT_A_COLLECTION",
        "an item not an object | {\"value\":[\"x\"]}             | NOT_A_COLLECTION",
        "empty body            | ''                              | MALFORMED",
      })
  void refusesWhatIsNotANotificationCollection(
      String name, String body, GraphParseException.Reason reason) {
    assertThatThrownBy(() -> parser.parse(utf8(body)))
        .isInstanceOfSatisfying(
            GraphParseException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .message()
        .doesNotContain(body.length() > 3 ? body : "\u0000");
  }

  @Test
  void deepNestingLongStringsAndTooManyItemsBreakTheLimits() {
    String deep = "{\"value\":[{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}]}";
    String longString = "{\"value\":[{\"clientState\":\"" + "a".repeat(20_000) + "\"}]}";
    StringBuilder many = new StringBuilder("{\"value\":[");
    for (int i = 0; i <= GraphNotificationParser.MAX_ITEMS; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    many.append("]}");

    for (String body : new String[] {deep, longString, many.toString()}) {
      assertThatThrownBy(() -> parser.parse(utf8(body)))
          .isInstanceOfSatisfying(
              GraphParseException.class,
              e -> assertThat(e.reason()).isEqualTo(GraphParseException.Reason.LIMIT_EXCEEDED));
    }
  }
}
