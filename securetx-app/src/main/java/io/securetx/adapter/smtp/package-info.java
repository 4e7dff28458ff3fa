/**
 * The {@link io.securetx.mail.Mailer} adapters, on Jakarta Mail (Eclipse Angus): {@link
 * io.securetx.adapter.smtp.SmtpMailer} sends over SMTP with STARTTLS required by default or
 * implicit TLS ({@code smtps://}), with connect and read timeouts, and sorts failures into
 * transient and permanent ones; {@link io.securetx.adapter.smtp.OutboxMailer} writes each message
 * as an {@code .eml} file when no server is configured. Passwords never reach a log line or an
 * exception message.
 */
@NullMarked
package io.securetx.adapter.smtp;

import org.jspecify.annotations.NullMarked;
