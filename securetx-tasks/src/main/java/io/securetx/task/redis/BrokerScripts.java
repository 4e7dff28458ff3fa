package io.securetx.task.redis;

/**
 * The Lua scripts of {@link RedisBroker}. Each is one atomic step on the server, which is what
 * keeps a message in exactly one place: a move removes the message from where it was and adds it
 * where it goes only if the removal found it.
 */
final class BrokerScripts {

  private BrokerScripts() {}

  /**
   * KEYS[1] in-flight list, KEYS[2..] source lists in serve order; ARGV[1] max. Returns a flat
   * array list, payload, list, payload... oldest first per list.
   */
  static final LuaScript FETCH =
      new LuaScript(
          """
          local max = tonumber(ARGV[1])
          local out = {}
          local n = 0
          for i = 2, #KEYS do
            if n >= max then break end
            local got = redis.call('RPOP', KEYS[i], max - n)
            if got then
              for _, p in ipairs(got) do
                redis.call('LPUSH', KEYS[1], p)
                out[#out + 1] = KEYS[i]
                out[#out + 1] = p
              end
              n = n + #got
            end
          end
          return out
          """);

  /** KEYS[1] in-flight, KEYS[2] schedule; ARGV[1] held payload, ARGV[2] member, ARGV[3] score. */
  static final LuaScript SCHEDULE =
      new LuaScript(
          """
          if redis.call('LREM', KEYS[1], -1, ARGV[1]) > 0 then
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
            return 1
          end
          return 0
          """);

  /**
   * KEYS[1] schedule; ARGV[1] now (epoch millis), ARGV[2] max. A member is {@code <16-char
   * nonce>:<byte length of list>:<list><payload>}; the nonce keeps two identical payloads from
   * collapsing into one member.
   */
  static final LuaScript RELEASE_DUE =
      new LuaScript(
          """
          local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
          local n = 0
          for _, m in ipairs(due) do
            if redis.call('ZREM', KEYS[1], m) == 1 then
              local colon = string.find(m, ':', 18, true)
              if colon then
                local len = tonumber(string.sub(m, 18, colon - 1))
                if len then
                  local list = string.sub(m, colon + 1, colon + len)
                  redis.call('LPUSH', list, string.sub(m, colon + len + 1))
                  n = n + 1
                end
              end
            end
          end
          return n
          """);

  /**
   * KEYS[1] in-flight, KEYS[2] target list; ARGV[1] held payload, ARGV[2] new payload, ARGV[3] "1"
   * for the front (RPUSH: consumers pop from the right) or "0" for the back.
   */
  static final LuaScript REQUEUE =
      new LuaScript(
          """
          if redis.call('LREM', KEYS[1], -1, ARGV[1]) > 0 then
            if ARGV[3] == '1' then
              redis.call('RPUSH', KEYS[2], ARGV[2])
            else
              redis.call('LPUSH', KEYS[2], ARGV[2])
            end
            return 1
          end
          return 0
          """);

  /** KEYS[1] in-flight, KEYS[2] dead list; ARGV[1] held payload, ARGV[2] entry JSON. */
  static final LuaScript DEAD_LETTER =
      new LuaScript(
          """
          if redis.call('LREM', KEYS[1], -1, ARGV[1]) > 0 then
            redis.call('LPUSH', KEYS[2], ARGV[2])
            return 1
          end
          return 0
          """);

  /** KEYS[1] dead list, KEYS[2] target list; ARGV[1] entry JSON, ARGV[2] payload. */
  static final LuaScript REQUEUE_DEAD =
      new LuaScript(
          """
          if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
            redis.call('RPUSH', KEYS[2], ARGV[2])
            return 1
          end
          return 0
          """);

  /** KEYS[1] dead list. Returns how many entries were deleted. */
  static final LuaScript PURGE_DEAD =
      new LuaScript(
          """
          local n = redis.call('LLEN', KEYS[1])
          redis.call('DEL', KEYS[1])
          return n
          """);

  /**
   * KEYS[1] heartbeat key, KEYS[2] workers zset; ARGV[1] value, ARGV[2] ttl millis, ARGV[3] id.
   * Returns 0 when the worker was known but its heartbeat had expired, else 1. The zset's score is
   * the last heartbeat (server time), so a worker is remembered after its key expires.
   */
  static final LuaScript HEARTBEAT =
      new LuaScript(
          """
          local existed = redis.call('EXISTS', KEYS[1])
          local known = redis.call('ZSCORE', KEYS[2], ARGV[3])
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          local t = redis.call('TIME')
          redis.call('ZADD', KEYS[2], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[3])
          if existed == 1 or not known then
            return 1
          end
          return 0
          """);

  /**
   * Puts a worker's held messages back. KEYS[1] heartbeat, KEYS[2] in-flight, KEYS[3] dead list,
   * KEYS[4] workers zset; ARGV[1] worker id, ARGV[2] mode ("reap" re-checks the heartbeat and
   * aborts with -1 if it is alive; "unregister" deletes it), ARGV[3] forget-before (epoch millis: a
   * reaped worker with nothing held whose last heartbeat is older is dropped from the zset), then
   * quadruples: held payload, "L" or "D", target list, value to push. Returns how many moved.
   */
  static final LuaScript RESTORE =
      new LuaScript(
          """
          if ARGV[2] == 'reap' and redis.call('EXISTS', KEYS[1]) == 1 then
            return -1
          end
          local n = 0
          for i = 4, #ARGV, 4 do
            if redis.call('LREM', KEYS[2], 1, ARGV[i]) > 0 then
              if ARGV[i + 1] == 'L' then
                redis.call('RPUSH', ARGV[i + 2], ARGV[i + 3])
              else
                redis.call('LPUSH', KEYS[3], ARGV[i + 3])
              end
              n = n + 1
            end
          end
          if ARGV[2] == 'unregister' then
            redis.call('DEL', KEYS[1])
          end
          if redis.call('LLEN', KEYS[2]) == 0 then
            local seen = redis.call('ZSCORE', KEYS[4], ARGV[1])
            if ARGV[2] == 'unregister' or (seen and tonumber(seen) < tonumber(ARGV[3])) then
              redis.call('ZREM', KEYS[4], ARGV[1])
            end
          end
          return n
          """);

  /**
   * KEYS: the claim, the list. ARGV: the claim's time to live in ms, its value, the message.
   * Returns the claim's value when it was taken before (nothing published), else nil after
   * publishing.
   */
  static final LuaScript PUBLISH_ONCE =
      new LuaScript(
          """
          local held = redis.call('GET', KEYS[1])
          if held then
            return held
          end
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
          redis.call('LPUSH', KEYS[2], ARGV[3])
          return false
          """);
}
