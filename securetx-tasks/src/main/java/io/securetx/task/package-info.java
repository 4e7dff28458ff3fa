/**
 * A task queue that speaks Celery's wire protocol, so Java and Python producers, workers and result
 * clients can share one Redis. This module knows nothing of transactions and can be used on its
 * own; every unchecked exception it throws is a {@link io.securetx.task.TaskException}.
 */
@NullMarked
package io.securetx.task;

import org.jspecify.annotations.NullMarked;
