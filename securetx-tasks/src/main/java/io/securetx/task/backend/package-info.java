/**
 * Where task states and results are kept: the {@link io.securetx.task.backend.ResultBackend} port,
 * with Celery's keys ({@code celery-task-meta-<id>}) and its way of waiting for a result (subscribe
 * first, then read), so a result can never be missed however fast the worker is.
 */
@NullMarked
package io.securetx.task.backend;

import org.jspecify.annotations.NullMarked;
