/**
 * Logs, audit events and metrics: the {@link io.securetx.observability.LogEncoder} that writes one
 * JSON object (or one text line) per event with the MDC's correlation ids, the {@link
 * io.securetx.observability.Audit} stream of security events on the {@code io.securetx.audit}
 * logger, and the Micrometer {@link io.securetx.observability.Metrics} the HTTP server exposes on
 * {@code /metrics}. Adapters use it; it uses no adapter.
 */
@NullMarked
package io.securetx.observability;

import org.jspecify.annotations.NullMarked;
