/** Rate limits per client address and per caller (Bucket4j token buckets), answering 429. */
@NullMarked
package dev.inboxpush.registration.ratelimit;

import org.jspecify.annotations.NullMarked;
