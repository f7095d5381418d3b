/**
 * The registration API's one error edge: every refusal, from the controller ({@link
 * dev.inboxpush.registration.problem.ApiErrors}) or from a filter that answers before it
 * (authentication, rate limits: {@link dev.inboxpush.registration.problem.ProblemWriter}), is an
 * RFC 9457 problem detail of a {@link dev.inboxpush.registration.problem.ProblemType}, written by
 * the JSON encoder, and counted as {@code inboxpush.registration.rejected{reason}}. Depends on no
 * other package of the service.
 */
@NullMarked
package dev.inboxpush.registration.problem;

import org.jspecify.annotations.NullMarked;
