/**
 * The doctor: a command-line diagnostics tool for Exchange administrators. {@link
 * dev.inboxpush.doctor.Main} reads the options and credentials, {@link dev.inboxpush.doctor.Doctor}
 * runs the steps against EWS ({@code ews}, ews-java-api behind a narrow interface) and the
 * registration API ({@code registration}), and {@link dev.inboxpush.doctor.Report} is what it
 * found, printed with an {@link dev.inboxpush.doctor.Outcome}'s exit code.
 */
@NullMarked
package dev.inboxpush.doctor;

import org.jspecify.annotations.NullMarked;
