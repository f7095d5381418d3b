/**
 * Who is calling: OAuth2 bearer JWTs validated by Spring Security's resource server against the
 * configured issuer and JWK set, with a required audience; callers are stored only as a keyed hash.
 */
@NullMarked
package dev.inboxpush.registration.security;

import org.jspecify.annotations.NullMarked;
