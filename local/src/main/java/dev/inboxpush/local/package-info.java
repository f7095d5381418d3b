/**
 * The local run of inbox-push: the peers a person (or a test) starts beside the two services, each
 * its own main class configured by environment variables. Nothing in the services depends on this
 * package; the services run locally with exactly the settings they have in production.
 *
 * <ul>
 *   <li>{@code auth}: the local OAuth2 authorization server the registration service trusts.
 * </ul>
 */
@NullMarked
package dev.inboxpush.local;

import org.jspecify.annotations.NullMarked;
