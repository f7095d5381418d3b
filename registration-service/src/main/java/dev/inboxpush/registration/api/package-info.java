/**
 * The {@code /v1} API mobile apps call: register a device, bind its EWS subscription, rotate its
 * token, read its status, delete it. Its one error edge is {@link
 * dev.inboxpush.registration.api.ApiErrors}: RFC 9457 problem details, field by field.
 */
@NullMarked
package dev.inboxpush.registration.api;

import org.jspecify.annotations.NullMarked;
