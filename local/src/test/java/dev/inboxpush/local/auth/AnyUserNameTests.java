package dev.inboxpush.local.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;

class AnyUserNameTests {

  private final AnyUserName provider = new AnyUserName();

  @ParameterizedTest
  @ValueSource(strings = {"alice", "alice@example.com", "Ünïcødé user", "x"})
  void anyNameSignsInWithoutAPasswordAndIsThePrincipal(String name) {
    Authentication signedIn =
        provider.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(name, ""));

    assertThat(signedIn.isAuthenticated()).isTrue();
    assertThat(signedIn.getName()).isEqualTo(name);
    assertThat(signedIn.getCredentials()).isNull();
    // Spring Authorization Server reads the ID token's auth_time from this factor.
    assertThat(signedIn.getAuthorities())
        .anySatisfy(
            authority ->
                assertThat(authority)
                    .isInstanceOfSatisfying(
                        FactorGrantedAuthority.class,
                        factor -> assertThat(factor.getIssuedAt()).isNotNull()));
  }

  @Test
  void aPasswordSentAnywayIsIgnored() {
    assertThat(
            provider
                .authenticate(UsernamePasswordAuthenticationToken.unauthenticated("bob", "wrong"))
                .getName())
        .isEqualTo("bob");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "line\nbreak", "tab\there"})
  void blankOrControlCharactersAreRefused(String name) {
    assertThatThrownBy(
            () ->
                provider.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(name, "")))
        .isInstanceOf(BadCredentialsException.class);
  }

  @Test
  void aNameOverTheLimitIsRefused() {
    String name = "a".repeat(AnyUserName.MAX_LENGTH + 1);

    assertThatThrownBy(
            () ->
                provider.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(name, "")))
        .isInstanceOf(BadCredentialsException.class);
  }
}
