package io.securetx.task.redis;

import redis.clients.jedis.Jedis;

/** The local Redis the integration tests use; each test class has its own database. */
final class RedisTestServer {

  private RedisTestServer() {}

  static RedisUrl url(int database) {
    String base = System.getProperty("securetx.test.redisUrl", "redis://127.0.0.1:6379");
    return RedisUrl.parse(base + "/" + database);
  }

  /** Opens a plain connection to the database after emptying it (FLUSHDB, never FLUSHALL). */
  static Jedis flushedConnection(RedisUrl url) {
    Jedis j = new Jedis(url.hostAndPort(), url.clientConfig("securetx-test", 5_000));
    j.flushDB();
    return j;
  }
}
