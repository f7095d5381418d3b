/** A local OAuth2 issuer for tests: RSA keys, a served JWK set, and tokens good and bad. */
@NullMarked
package dev.inboxpush.testsupport.jwt;

import org.jspecify.annotations.NullMarked;
