package dev.inboxpush.local.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Adds the audience {@value LocalAuthorizationServer#AUDIENCE}, which the registration service
 * requires, to every access token, beside the client id Spring Authorization Server puts there. ID
 * tokens keep only the client id: they are for the app, not for the API, and the registration
 * service refuses them. Stateless and thread-safe; called on the token endpoint's thread.
 */
final class AudienceCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

  @Override
  public void customize(JwtEncodingContext context) {
    if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      return;
    }
    context
        .getClaims()
        .claims(
            claims -> {
              Set<String> audience = new LinkedHashSet<>();
              Object existing = claims.get(JwtClaimNames.AUD);
              if (existing instanceof Collection<?>) {
                ((Collection<?>) existing).forEach(value -> audience.add(String.valueOf(value)));
              } else if (existing != null) {
                audience.add(existing.toString());
              }
              audience.add(LocalAuthorizationServer.AUDIENCE);
              claims.put(JwtClaimNames.AUD, new ArrayList<>(audience));
            });
  }
}
