/**
 * The architecture rules every module's {@code ArchitectureTests} share (docs/architecture.md,
 * "Which package may use which"), written once with ArchUnit.
 */
@NullMarked
package dev.inboxpush.testsupport.architecture;

import org.jspecify.annotations.NullMarked;
