/**
 * Periodic tasks, what Celery beat does, without its duplicate runs: each slot of a {@link
 * io.securetx.task.beat.CronSchedule} is claimed in the broker together with the message it sends,
 * so it fires exactly once however many schedulers run.
 */
@NullMarked
package io.securetx.task.beat;

import org.jspecify.annotations.NullMarked;
