/**
 * What an app does before Exchange POSTs anything: a user's access token from the OAuth2 server
 * (authorization code with PKCE, {@link dev.inboxpush.simulator.registration.AppSignIn}) and the
 * registration API's register and bind ({@link
 * dev.inboxpush.simulator.registration.RegistrationClient}). Callback URLs are opaque strings taken
 * from the API's answers.
 */
@NullMarked
package dev.inboxpush.simulator.registration;

import org.jspecify.annotations.NullMarked;
