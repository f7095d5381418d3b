/** Builders of EWS push payloads, as Exchange sends them, for tests and benchmarks. */
@NullMarked
package dev.inboxpush.testsupport.ews;

import org.jspecify.annotations.NullMarked;
