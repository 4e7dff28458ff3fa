package io.securetx.task.beat;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.task.MutableClock;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.wire.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** Three schedulers racing on the real Redis: every slot is sent exactly once. */
class BeatRedisIT {

  private static final int DB = 8;

  @Test
  void threeSchedulersOnRedis_eachSlotFiresExactlyOnce() throws Exception {
    try (JedisPooled redis =
            new JedisPooled(
                new HostAndPort("127.0.0.1", 6379),
                DefaultJedisClientConfig.builder().database(DB).build());
        RedisBroker broker = RedisBroker.connect(RedisUrl.parse("redis://127.0.0.1:6379/" + DB))) {
      redis.flushDB();
      Instant start = Instant.parse("2026-12-01T00:00:00Z");
      List<PeriodicTask> entries =
          List.of(
              PeriodicTask.of(
                  "every-5-min",
                  CronSchedule.parse("*/5 * * * *", ZoneOffset.UTC),
                  "generate_monthly_report"),
              PeriodicTask.of(
                  "hourly", CronSchedule.parse("@hourly", ZoneOffset.UTC), "send_digest"));
      List<TaskMessage> sent =
          BeatRace.run(broker, new MutableClock(start), entries, start, Duration.ofMinutes(180));
      assertThat(sent.stream().filter(m -> m.task().equals("generate_monthly_report"))).hasSize(36);
      assertThat(sent.stream().filter(m -> m.task().equals("send_digest"))).hasSize(3);
      assertThat(sent.stream().map(TaskMessage::id).distinct()).hasSize(39);
      redis.flushDB();
    }
  }
}
