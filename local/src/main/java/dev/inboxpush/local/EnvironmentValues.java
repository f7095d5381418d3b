package dev.inboxpush.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reading the local peers' environment variables: each method turns one variable's text into a
 * value, or throws an {@link IllegalArgumentException} whose message names the variable and what it
 * accepts. A blank value counts as unset. Stateless and thread-safe.
 */
public final class EnvironmentValues {

  private EnvironmentValues() {}

  /** The trimmed value of {@code name}, or {@code fallback} when it is unset or blank. */
  public static String value(Map<String, String> environment, String name, String fallback) {
    String value = optional(environment, name);
    return value == null ? fallback : value;
  }

  /** The trimmed value of {@code name}, or null when it is unset or blank. */
  public static @Nullable String optional(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** A literal IP address (a host name would mean a DNS lookup before anything listens). */
  public static InetAddress address(String variable, String value) {
    if (!value.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
      throw new IllegalArgumentException(
          variable + ": an IP address such as 127.0.0.1 or 0.0.0.0 (a container), was " + value);
    }
    try {
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(variable + ": not an IP address: " + value, e);
    }
  }

  /** A number; the caller checks its range. */
  public static int port(String variable, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          variable + ": must be a number 0 to 65535, was " + value, e);
    }
  }

  /** A path, made absolute against the working directory. */
  public static Path path(String variable, String value) {
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(variable + ": not a path: " + value, e);
    }
  }

  /** The non-blank items of a comma-separated list, trimmed, without repeats, in order. */
  public static List<String> list(String value) {
    Set<String> items = new LinkedHashSet<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return new ArrayList<>(items);
  }
}
