/**
 * The registration API as the doctor uses it: a throw-away registration created, bound, read
 * (lastSeen, last push) and deleted over HTTP, failures as values.
 */
@NullMarked
package dev.inboxpush.doctor.registration;

import org.jspecify.annotations.NullMarked;
