package dev.inboxpush.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/** A web service does not start with Actuator on its public port. */
class ManagementPortTests {

  private final ReactiveWebApplicationContextRunner web =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ManagementPortAutoConfiguration.class));

  @ParameterizedTest
  @ValueSource(strings = {"9081", "0", "-1"})
  void aPortOfItsOwnOrNoneStarts(String port) {
    web.withPropertyValues("server.port=8081", "management.server.port=" + port)
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(ManagementPortAutoConfiguration.SeparateManagementPort.class));
  }

  @Test
  void anUnsetManagementPortStopsStartUpNamingBothKeys() {
    web.withPropertyValues("server.port=8081")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("management.server.port (MANAGEMENT_PORT)")
                    .hasMessageContaining("server.port (PORT)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8081", ""})
  void theServerPortOrAnEmptyValueStopsStartUp(String port) {
    web.withPropertyValues("server.port=8081", "management.server.port=" + port)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("must not be served on the public port"));
  }

  @Test
  void aContextWithoutAWebServerIsNotChecked() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagementPortAutoConfiguration.class))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(ManagementPortAutoConfiguration.SeparateManagementPort.class));
  }
}
