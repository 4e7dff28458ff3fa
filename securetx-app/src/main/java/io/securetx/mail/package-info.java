/**
 * E-mail as the application sees it, free of any mail library: the {@link io.securetx.mail.Mailer}
 * port that sends one message and fails either transiently or permanently, the validated {@link
 * io.securetx.mail.EmailAddress} (no header injection, RFC 5321 lengths, internationalised domains
 * in ASCII for the envelope), the deterministic {@link io.securetx.mail.MessageId} derived from a
 * task id, the composed welcome e-mail, and the {@link io.securetx.mail.SentMarkers} port that
 * remembers which message ids were accepted so a redelivered task never sends twice.
 */
@NullMarked
package io.securetx.mail;

import org.jspecify.annotations.NullMarked;
