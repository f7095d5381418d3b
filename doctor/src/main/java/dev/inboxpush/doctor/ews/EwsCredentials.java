package dev.inboxpush.doctor.ews;

import java.util.Objects;

/**
 * How the doctor authenticates to EWS: HTTP Basic (Exchange on-premises) or an OAuth2 bearer token
 * sent as an {@code Authorization} header (Exchange Online; ews-java-api 2.0 has no bearer
 * credential). The secrets never appear in {@link #toString()}; they are read from the environment
 * or a prompt, never from an argument, and never logged or stored.
 */
public sealed interface EwsCredentials {

  /** HTTP Basic: a user name (often the UPN or DOMAIN\\user) and a password. */
  record Basic(String user, String password) implements EwsCredentials {
    public Basic {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isBlank() || password.isEmpty()) {
        throw new IllegalArgumentException("the EWS user name and password must not be empty");
      }
    }

    @Override
    public String toString() {
      return "Basic[user=(hidden), password=(hidden)]";
    }
  }

  /** An OAuth2 access token for EWS, sent as {@code Authorization: Bearer <token>}. */
  record Bearer(String token) implements EwsCredentials {
    public Bearer {
      Objects.requireNonNull(token, "token");
      if (token.isBlank()) {
        throw new IllegalArgumentException("the EWS bearer token must not be empty");
      }
    }

    @Override
    public String toString() {
      return "Bearer[token=(hidden)]";
    }
  }

  /** For the report: which kind, never the secret. */
  default String kind() {
    return this instanceof Basic ? "Basic" : "OAuth2 bearer token";
  }
}
