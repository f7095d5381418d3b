/**
 * The local OAuth2 authorization server ({@link
 * dev.inboxpush.local.auth.LocalAuthorizationServer}): Spring Authorization Server on Spring MVC
 * and Tomcat, standard grants only (authorization code with PKCE behind a login page that accepts
 * any user name, client credentials for scripts), the {@code inboxpush} audience added to access
 * tokens, its signing key and script secret kept in a data directory across restarts.
 */
@NullMarked
package dev.inboxpush.local.auth;

import org.jspecify.annotations.NullMarked;
