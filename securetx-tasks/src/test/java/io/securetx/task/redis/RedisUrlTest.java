package io.securetx.task.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUrlTest {

  @Test
  void defaultUrl_isLocalhostDatabaseZero() {
    RedisUrl u = RedisUrl.defaultUrl();

    assertThat(u.host()).isEqualTo("localhost");
    assertThat(u.port()).isEqualTo(6379);
    assertThat(u.database()).isZero();
    assertThat(u.tls()).isFalse();
    assertThat(u.user()).isNull();
    assertThat(u.hasPassword()).isFalse();
    assertThat(u).hasToString("redis://localhost:6379/0");
  }

  @Test
  void parse_everyPart_isRead() {
    RedisUrl u = RedisUrl.parse("rediss://alice:s3cret@cache.internal:6380/12");

    assertThat(u.tls()).isTrue();
    assertThat(u.user()).isEqualTo("alice");
    assertThat(u.hasPassword()).isTrue();
    assertThat(u.host()).isEqualTo("cache.internal");
    assertThat(u.port()).isEqualTo(6380);
    assertThat(u.database()).isEqualTo(12);
  }

  @Test
  void parse_passwordOnly_hasNoUser() {
    RedisUrl u = RedisUrl.parse("redis://:s3cret@h");

    assertThat(u.user()).isNull();
    assertThat(u.hasPassword()).isTrue();
    assertThat(u.port()).isEqualTo(6379);
    assertThat(u.database()).isZero();
  }

  @Test
  void parse_percentEncodedPasswordWithAt_isDecoded() {
    RedisUrl a = RedisUrl.parse("redis://:p%40ss%3Aw%C3%B6rd@h/1");
    RedisUrl b = RedisUrl.parse("redis://:p@ss:w\u00f6rd@h/1");

    assertThat(a).isEqualTo(b);
    assertThat(a.host()).isEqualTo("h");
  }

  @Test
  void parse_ipv6Host_dropsTheBrackets() {
    RedisUrl u = RedisUrl.parse("redis://[::1]:7000/3");

    assertThat(u.host()).isEqualTo("::1");
    assertThat(u.port()).isEqualTo(7000);
    assertThat(u).hasToString("redis://[::1]:7000/3");
  }

  @Test
  void parse_upperCaseScheme_isAccepted() {
    assertThat(RedisUrl.parse("REDIS://h").host()).isEqualTo("h");
  }

  @Test
  void parse_trailingSlash_isDatabaseZero() {
    assertThat(RedisUrl.parse("redis://h:1/").database()).isZero();
  }

  @Test
  void toString_withPassword_masksIt() {
    assertThat(RedisUrl.parse("rediss://alice:s3cret@h:1/2"))
        .hasToString("rediss://alice:****@h:1/2");
    assertThat(RedisUrl.parse("redis://:s3cret@h")).hasToString("redis://:****@h:6379/0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://:s3cret@h",
        "s3cret",
        "redis//:s3cret@h",
        "redis://:s3cret@h:notaport",
        "redis://:s3cret@h:0",
        "redis://:s3cret@h:65536",
        "redis://:s3cret@h:99999999999",
        "redis://:s3cret@h/-1",
        "redis://:s3cret@h/db",
        "redis://:s3cret@h/1?ssl_cert_reqs=none",
        "redis://:s3cret@h/1?ssl_ca_certs=/etc/ssl/certs/ca-certificates.crt",
        "rediss://:s3cret@h/1?ssl_cert_reqs=none",
        "rediss://:s3cret@h/1?ssl_cert_reqs=optional",
        "rediss://:s3cret@h/1?ssl_check_hostname=false",
        "rediss://:s3cret@h/1?ssl_ca_certs=",
        "rediss://:s3cret@h/1?ssl_ca_certs=/nonexistent/ca.pem",
        "rediss://:s3cret@h/1?ssl_certfile=",
        "rediss://:s3cret@h/1?ssl_keyfile=",
        "rediss://:s3cret@h/1?ssl_certfile=/nonexistent/c.pem",
        "rediss://:s3cret@h/1?ssl_keyfile=/nonexistent/k.pem",
        "rediss://:s3cret@h/1?ssl_certfile=/nonexistent/c.pem&ssl_keyfile=/nonexistent/k.pem",
        "rediss://:s3cret@h/1?ssl_password=s3cret",
        "redis://:s3cret@",
        "redis://:s3cret@:6379",
        "redis://s3cret@h",
        "redis://:s3cret%zz@h",
        "redis://:s3cret%ff@h",
        "redis://:@h",
        "redis://:s3cret@[::1",
        "redis://:s3cret@[::1]x",
        "redis://:s3cret@h h",
      })
  void parse_malformed_failsWithoutEchoingThePassword(String url) {
    assertThatThrownBy(() -> RedisUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid Redis URL: ")
        .message()
        .doesNotContain("s3cret");
  }

  @Test
  void parse_badPort_saysWhichPart() {
    assertThatThrownBy(() -> RedisUrl.parse("redis://h:70000"))
        .hasMessageContaining("port must be between 1 and 65535, was 70000");
  }
}
