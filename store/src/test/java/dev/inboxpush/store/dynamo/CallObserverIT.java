package dev.inboxpush.store.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.inboxpush.store.TableCall;
import dev.inboxpush.testsupport.dynamo.Dynalite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollector;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every call a store client makes is told to its listener, counted by the SDK's interceptor: real
 * calls to dynalite that succeed or are refused, to an engine that is down and to a socket that
 * never answers; and how the SDK's account of a failed call's last attempt becomes its outcome.
 */
class CallObserverIT {

  private final List<TableCall> calls = new CopyOnWriteArrayList<>();

  @Test
  void successesAndRefusalsAreToldWithTheirOperation() {
    Dynalite dynalite = Dynalite.shared();
    String table = "calls-" + UUID.randomUUID();
    try (DynamoDbAsyncClient client =
        DynamoClients.create(
            "us-east-1", dynalite.endpoint(), Duration.ofSeconds(5), 8, calls::add)) {
      client
          .createTable(
              b ->
                  b.tableName(table)
                      .billingMode(BillingMode.PAY_PER_REQUEST)
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName("pk")
                              .keyType(KeyType.HASH)
                              .build())
                      .attributeDefinitions(
                          AttributeDefinition.builder()
                              .attributeName("pk")
                              .attributeType(ScalarAttributeType.S)
                              .build()))
          .join();
      Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("one"));
      for (int i = 0; i < 2; i++) {
        client
            .putItem(
                b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
            .handle((r, e) -> r)
            .join();
      }
      assertThatThrownBy(
              () -> client.getItem(b -> b.tableName("no-such-" + table).key(item)).join())
          .hasCauseInstanceOf(DynamoDbException.class);
    }

    assertThat(calls)
        .extracting(TableCall::operation, TableCall::outcome)
        .containsExactly(
            tuple("CreateTable", TableCall.Outcome.OK),
            tuple("PutItem", TableCall.Outcome.OK),
            tuple("PutItem", TableCall.Outcome.CLIENT_ERROR),
            tuple("GetItem", TableCall.Outcome.CLIENT_ERROR));
    assertThat(calls).allSatisfy(call -> assertThat(call.attempts()).isEqualTo(1));
    assertThat(calls).allSatisfy(call -> assertThat(call.took()).isPositive());
  }

  @Test
  void anEngineThatIsDownIsAnIoFailureAfterTheRetries() {
    // A call bound far beyond the SDK's three attempts, so that a loaded machine cannot make it a
    // timeout.
    try (Dynalite stopped = Dynalite.start()) {
      URI endpoint = stopped.endpoint();
      stopped.stop();
      try (DynamoDbAsyncClient client =
          DynamoClients.create("us-east-1", endpoint, Duration.ofSeconds(60), 8, calls::add)) {
        assertThatThrownBy(
                () ->
                    client
                        .getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("x"))))
                        .join())
            .hasCauseInstanceOf(SdkClientException.class);
      }
    }

    assertThat(calls)
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.operation()).isEqualTo("GetItem");
              assertThat(call.outcome()).isEqualTo(TableCall.Outcome.IO);
              assertThat(call.attempts()).as("the SDK's retries").isGreaterThan(1);
            });
  }

  @Test
  void aTableThatNeverAnswersFailsAfterARetryWithinTheCallsBound() throws IOException {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "silent-table");
      acceptor.setDaemon(true);
      acceptor.start();
      URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      try (DynamoDbAsyncClient client =
          DynamoClients.create("us-east-1", endpoint, Duration.ofMillis(900), 8, calls::add)) {
        assertThatThrownBy(
                () ->
                    client
                        .getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("x"))))
                        .join())
            .hasCauseInstanceOf(ApiCallTimeoutException.class);
      }
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).operation()).isEqualTo("GetItem");
    // The call's bound (900 ms from its start) runs out just before the second attempt's read
    // timeout (450 ms after its request, which follows the first one's and a backoff): so the
    // outcome is a timeout, unless a loaded machine runs the SDK's timer late and the read
    // timeout is seen first, which then names the last attempt's outcome (I/O).
    assertThat(calls.get(0).outcome()).isIn(TableCall.Outcome.TIMEOUT, TableCall.Outcome.IO);
    assertThat(calls.get(0).attempts())
        .as("each attempt's read timeout is half the call's")
        .isGreaterThan(1);
    assertThat(calls.get(0).took()).isGreaterThanOrEqualTo(Duration.ofMillis(850));
  }

  @Test
  void throttlingAndServerErrorsAreToldFromTheLastAttempt() {
    assertThat(outcome("Throttling", 400)).isEqualTo(TableCall.Outcome.THROTTLED);
    assertThat(outcome("ServerError", 500)).isEqualTo(TableCall.Outcome.SERVER_ERROR);
    assertThat(outcome("Other", 503)).isEqualTo(TableCall.Outcome.SERVER_ERROR);
    assertThat(outcome("ServerError", 400)).isEqualTo(TableCall.Outcome.CLIENT_ERROR);
    assertThat(outcome("Other", 400)).isEqualTo(TableCall.Outcome.CLIENT_ERROR);
    assertThat(outcome("ConfiguredTimeout", 0)).isEqualTo(TableCall.Outcome.TIMEOUT);
    assertThat(outcome("IO", 0)).isEqualTo(TableCall.Outcome.IO);
  }

  /** A failed call's metrics as the SDK collects them: one failed attempt, then the last one. */
  private static TableCall.Outcome outcome(String errorType, int status) {
    MetricCollector call = MetricCollector.create("ApiCall");
    call.reportMetric(CoreMetric.OPERATION_NAME, "UpdateItem");
    call.reportMetric(CoreMetric.API_CALL_SUCCESSFUL, false);
    call.reportMetric(CoreMetric.API_CALL_DURATION, Duration.ofMillis(30));
    MetricCollector first = call.createChild("ApiCallAttempt");
    first.reportMetric(CoreMetric.ERROR_TYPE, "IO");
    MetricCollector last = call.createChild("ApiCallAttempt");
    last.reportMetric(CoreMetric.ERROR_TYPE, errorType);
    if (status > 0) {
      last.reportMetric(HttpMetric.HTTP_STATUS_CODE, status);
    }
    TableCall told = CallObserver.toCall(call.collect());
    assertThat(told.operation()).isEqualTo("UpdateItem");
    assertThat(told.attempts()).isEqualTo(2);
    assertThat(told.took()).isEqualTo(Duration.ofMillis(30));
    return told.outcome();
  }
}
