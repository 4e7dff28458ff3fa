/**
 * The worker: fetches Celery messages from a {@link io.securetx.task.broker.Broker}, runs their
 * handlers, stores results in a {@link io.securetx.task.backend.ResultBackend} and only then
 * acknowledges (late ack). Undecodable messages go to the dead letters instead of crashing it;
 * messages with an ETA wait in the broker's schedule, not in its memory.
 */
@NullMarked
package io.securetx.task.worker;

import org.jspecify.annotations.NullMarked;
