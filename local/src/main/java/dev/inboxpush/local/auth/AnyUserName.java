package dev.inboxpush.local.auth;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The login page's authentication: any user name signs in, and becomes the {@code sub} of the
 * tokens issued to it, so that one person can act as several users. There is no password: one sent
 * anyway is ignored. A blank name, a name over {@value #MAX_LENGTH} characters or one with control
 * characters is refused (the login page shows the error). Stateless and thread-safe.
 */
final class AnyUserName implements AuthenticationProvider {

  /** The longest user name accepted. */
  static final int MAX_LENGTH = 200;

  @Override
  public Authentication authenticate(Authentication authentication) {
    String name = authentication.getName() == null ? "" : authentication.getName().strip();
    if (name.isEmpty()
        || name.length() > MAX_LENGTH
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new BadCredentialsException(
          "A user name of 1 to " + MAX_LENGTH + " characters, without control characters.");
    }
    // The factor Spring Security's form login records, with the time of sign-in: Spring
    // Authorization Server takes the ID token's auth_time from it. No password was checked.
    List<GrantedAuthority> authorities =
        List.of(
            new SimpleGrantedAuthority("ROLE_USER"),
            FactorGrantedAuthority.fromAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY));
    return UsernamePasswordAuthenticationToken.authenticated(name, null, authorities);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
