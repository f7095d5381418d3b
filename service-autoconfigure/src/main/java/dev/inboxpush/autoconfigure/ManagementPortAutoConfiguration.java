package dev.inboxpush.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Refuses to start a service whose Actuator would share the public port. Health and Prometheus
 * answer without authentication, so they must live on the management port only; a {@code
 * management.server.port} left unset, set empty or set to {@code server.port} would put them back
 * on the port Exchange servers and apps on the internet reach. {@code -1} (no management server at
 * all) is allowed. Checked once, while the context starts; the failure names both keys.
 */
@AutoConfiguration
@ConditionalOnClass(ManagementPortType.class)
@ConditionalOnWebApplication
public class ManagementPortAutoConfiguration {

  /** The check's witness: exists only when the management port is its own. */
  public record SeparateManagementPort(ManagementPortType type) {}

  @Bean
  SeparateManagementPort separateManagementPort(Environment environment) {
    ManagementPortType type = ManagementPortType.get(environment);
    if (type == ManagementPortType.SAME) {
      throw new IllegalStateException(
          "management.server.port (MANAGEMENT_PORT) must be set and differ from server.port (PORT):"
              + " health and metrics answer without authentication and must not be served on the"
              + " public port (set -1 to serve no Actuator at all)");
    }
    return new SeparateManagementPort(type);
  }
}
