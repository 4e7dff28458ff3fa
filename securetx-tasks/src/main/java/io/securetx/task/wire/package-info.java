/**
 * Celery protocol 2 as kombu's Redis transport puts it on the wire, as pure values and a codec with
 * no I/O: a {@link io.securetx.task.wire.TaskMessage} (headers and body of one task call) travels
 * inside an {@link io.securetx.task.wire.Envelope} (the JSON item of a Redis list), and a task's
 * state is a {@link io.securetx.task.wire.ResultMeta} stored under {@code celery-task-meta-<id>}.
 * {@link io.securetx.task.wire.CeleryCodec} writes exactly what Celery 5.2 writes and reads what
 * Celery 5.x and kombu 5.x producers send; input it cannot read fails with a {@link
 * io.securetx.task.wire.WireFormatException} that names the reason, never with another exception.
 * The reference is {@code celery-wire.md}.
 */
@NullMarked
package io.securetx.task.wire;

import org.jspecify.annotations.NullMarked;
