/**
 * The endpoint Exchange posts to: {@code POST /ews/v1/{callbackToken}}. It checks the source
 * network (optional), the content type and the body size, has the body parsed, asks the {@link
 * dev.inboxpush.listener.callback.CallbackProcessor} for the answer and writes it. This is the
 * listener's one HTTP error edge: SOAP replies and faults, never an HTML or JSON error page.
 */
@NullMarked
package dev.inboxpush.listener.callback;

import org.jspecify.annotations.NullMarked;
