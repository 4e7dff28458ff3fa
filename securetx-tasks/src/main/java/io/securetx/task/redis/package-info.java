/**
 * The Redis adapters: {@link io.securetx.task.redis.RedisBroker} keeps Celery's queue lists and
 * adds securetx's own keys (prefixed {@code securetx.}) for in-flight messages, the schedule, dead
 * letters and heartbeats, every move between them one Lua script so it is atomic; {@link
 * io.securetx.task.redis.RedisResultBackend} stores results exactly as Celery's Redis backend does
 * and waits for them over one shared pub/sub connection. Both expect one Redis server (scripts
 * touch keys they do not declare, so Redis Cluster is not supported).
 */
@NullMarked
package io.securetx.task.redis;

import org.jspecify.annotations.NullMarked;
