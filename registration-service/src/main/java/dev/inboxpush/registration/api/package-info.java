/**
 * The {@code /v1} API mobile apps call: register a device, bind its EWS subscription, rotate its
 * token, read its status, delete it. Its refusals are thrown as the exceptions of {@link
 * dev.inboxpush.registration.problem}, whose error edge answers them as RFC 9457 problem details.
 */
@NullMarked
package dev.inboxpush.registration.api;

import org.jspecify.annotations.NullMarked;
