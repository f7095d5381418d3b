package dev.inboxpush.listener.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

class EwsErrorHandlerTests {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final EwsErrorHandler handler = new EwsErrorHandler(new CallbackMetrics(meters));

  private static MockServerWebExchange post(String path) {
    return MockServerWebExchange.from(MockServerHttpRequest.post(path).build());
  }

  @Test
  void aFailureThatEscapedTheHandlerIs503WithRetryAfterAndASoapServerFault() {
    MockServerWebExchange exchange = post("/ews/v1/some-token");

    handler.handle(exchange, new IllegalStateException("a defect")).block(TIMEOUT);

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("30");
    assertThat(exchange.getResponse().getHeaders().getContentType())
        .hasToString("text/xml;charset=utf-8");
    assertThat(exchange.getResponse().getBodyAsString().block(TIMEOUT))
        .contains("<faultcode>soap:Server</faultcode>")
        .doesNotContain("defect");
    assertThat(
            meters
                .get(CallbackMetrics.CALLBACKS)
                .tag("answer", "unavailable")
                .tag("reason", "internal_error")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aClientErrorKeepsItsStatusWithASoapClientFault() {
    MockServerWebExchange exchange = post("/ews/nothing-here");

    handler.handle(exchange, new ResponseStatusException(HttpStatus.NOT_FOUND)).block(TIMEOUT);

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(exchange.getResponse().getBodyAsString().block(TIMEOUT))
        .contains("<faultcode>soap:Client</faultcode>");
    assertThat(
            meters
                .get(CallbackMetrics.CALLBACKS)
                .tag("answer", "refused")
                .tag("reason", "not_found")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void otherPathsAreLeftToSpringBoot() {
    IllegalStateException failure = new IllegalStateException("elsewhere");

    assertThatThrownBy(() -> handler.handle(post("/actuator/health"), failure).block(TIMEOUT))
        .isSameAs(failure);
    assertThat(meters.find(CallbackMetrics.CALLBACKS).counters())
        .isNotEmpty()
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
  }
}
