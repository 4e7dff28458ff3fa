/**
 * Sending tasks and reading their results, as Celery's {@code apply_async} and {@code AsyncResult}
 * do: {@code client.task("send_welcome_email").kwarg("user_id", 7).countdown(...).send().get(...)}.
 */
@NullMarked
package io.securetx.task.client;

import org.jspecify.annotations.NullMarked;
