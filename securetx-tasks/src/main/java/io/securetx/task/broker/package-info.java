/**
 * Where task messages wait and who holds them: the {@link io.securetx.task.broker.Broker} port.
 * Messages travel as the exact JSON text Celery pushes, so a message a worker puts back is byte for
 * byte what the producer sent (plus kombu's {@code redelivered} flag). A message is always in
 * exactly one place: a queue list, one worker's in-flight store, the schedule, or the dead-letter
 * list; every move between them is atomic.
 */
@NullMarked
package io.securetx.task.broker;

import org.jspecify.annotations.NullMarked;
