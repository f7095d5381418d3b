/**
 * The EWS side of the doctor: a TLS check with the JDK's PKIX validation ({@link
 * dev.inboxpush.doctor.ews.TlsCheck}), and the mailbox operations behind {@link
 * dev.inboxpush.doctor.ews.Ews}, implemented with ews-java-api 2.0 ({@link
 * dev.inboxpush.doctor.ews.JavaApiEws}). No ews-java-api type leaves this package; failures are
 * values ({@link dev.inboxpush.doctor.ews.EwsResult}) classified by {@link
 * dev.inboxpush.doctor.ews.EwsErrors}.
 */
@NullMarked
package dev.inboxpush.doctor.ews;

import org.jspecify.annotations.NullMarked;
