package io.securetx.task.redis;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA-1 digest. The digest comes from {@code SCRIPT LOAD} on first use, and
 * a server that lost its script cache (a restart, {@code SCRIPT FLUSH}) gets the source again.
 */
final class LuaScript {

  private final String source;
  private volatile @Nullable String sha;

  LuaScript(String source) {
    this.source = source;
  }

  Object run(Jedis jedis, List<String> keys, List<String> args) {
    String digest = digest(jedis);
    try {
      return jedis.evalsha(digest, keys, args);
    } catch (JedisNoScriptException e) {
      sha = jedis.scriptLoad(source);
      return jedis.eval(source, keys, args);
    }
  }

  /**
   * Runs the script once per call in one round trip. A call the server refused for want of the
   * script did not run, so it is safe to run it again by source.
   */
  List<Object> runPipelined(Jedis jedis, List<List<String>> keys, List<List<String>> args) {
    String digest = digest(jedis);
    List<Response<Object>> responses = new ArrayList<>(keys.size());
    Pipeline p = jedis.pipelined();
    for (int i = 0; i < keys.size(); i++) {
      responses.add(p.evalsha(digest, keys.get(i), args.get(i)));
    }
    p.sync();
    List<Object> out = new ArrayList<>(keys.size());
    for (int i = 0; i < responses.size(); i++) {
      try {
        out.add(responses.get(i).get());
      } catch (JedisNoScriptException e) {
        out.add(jedis.eval(source, keys.get(i), args.get(i)));
      } catch (JedisDataException e) {
        if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
          out.add(jedis.eval(source, keys.get(i), args.get(i)));
        } else {
          throw e;
        }
      }
    }
    return out;
  }

  private String digest(Jedis jedis) {
    String s = sha;
    if (s == null) {
      s = jedis.scriptLoad(source);
      sha = s;
    }
    return s;
  }
}
