/**
 * The metrics catalogue ({@code docs/metrics.md}) as data, a Prometheus text scrape as data, and
 * the check that the two agree, for the services' catalogue tests. No Spring: plain text in, a list
 * of problems out.
 */
@NullMarked
package dev.inboxpush.testsupport.metrics;

import org.jspecify.annotations.NullMarked;
