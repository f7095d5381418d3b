/**
 * Benchmarks: programs, not tests, each measuring a part of inbox-push beside a baseline in the
 * same run and printing figures. One Maven profile each in {@code benchmarks/pom.xml}; the README
 * gives the command and the recorded figures. They live outside {@code dev.inboxpush.listener} and
 * {@code dev.inboxpush.registration}, whose applications would otherwise scan their configuration.
 */
@NullMarked
package dev.inboxpush.benchmark;

import org.jspecify.annotations.NullMarked;
