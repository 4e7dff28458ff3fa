package io.securetx.task.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.securetx.task.Handlers;
import io.securetx.task.TaskRegistry;
import io.securetx.task.interop.PythonClient.Send;
import io.securetx.task.interop.PythonClient.TaskOutcome;
import io.securetx.task.redis.RedisBroker;
import io.securetx.task.redis.RedisResultBackend;
import io.securetx.task.redis.RedisUrl;
import io.securetx.task.worker.Worker;
import io.securetx.task.worker.WorkerOptions;
import io.securetx.testing.MutualTlsFiles;
import io.securetx.testing.TlsRedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Celery 5.2 and the securetx worker over one private {@code redis-server} that requires
 * client certificates ({@code tls-auth-clients yes}), both configured by the same {@code rediss://}
 * URL with kombu's {@code ssl_ca_certs}, {@code ssl_certfile} and {@code ssl_keyfile}: Python sends
 * and reads the result (kombu broker and Celery's Redis backend), Java runs the task. A Python
 * client with the untrusted certificate is refused.
 */
@Timeout(180)
class CeleryMutualTlsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  record Welcome(long userId, String email) {}

  record Welcomed(String status, String recipient) {}

  @TempDir static Path dir;

  private static CeleryPeer peer;
  private static MutualTlsFiles files;
  private static TlsRedisServer redis;

  @BeforeAll
  static void startMutualTlsRedis() throws IOException {
    peer = CeleryPeer.require();
    files = MutualTlsFiles.make(dir);
    redis = files.startRedisRequiringClientCertificates(dir);
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    if (redis != null) {
      redis.close();
    }
  }

  private static String url(String query) {
    return "rediss://localhost:" + redis.port() + "/0" + query;
  }

  @Test
  void pythonSendsOverMutualTls_javaWorkerRuns_pythonGetsTheResult() throws Exception {
    String url = url(files.clientQuery());
    TaskRegistry registry =
        TaskRegistry.builder()
            .register(
                "send_welcome_email",
                Handlers.of(Welcome.class, (a, c) -> new Welcomed("sent", a.email())))
            .build();
    try (RedisBroker broker = RedisBroker.connect(RedisUrl.parse(url));
        RedisResultBackend backend = RedisResultBackend.connect(RedisUrl.parse(url))) {
      Worker worker =
          new Worker(WorkerOptions.defaults(), broker, backend, registry, Clock.systemUTC());
      worker.start();
      try {
        TaskOutcome outcome =
            peer.client(url, url)
                .send(
                    Send.task("send_welcome_email")
                        .kwargs(Map.of("user_id", 7, "email", "tls@example.com"))
                        .await(WAIT));

        assertThat(outcome.state()).isEqualTo("SUCCESS");
        assertThat(outcome.result().get("recipient").asText()).isEqualTo("tls@example.com");
      } finally {
        worker.shutdown();
        assertThat(worker.awaitTermination(WAIT)).isTrue();
      }
    }
  }

  @Test
  void pythonWithAnUntrustedClientCertificate_isRefused() throws IOException {
    String url = url(files.rogueQuery());

    // flushdb: the shortest command that connects (redis-py, from the same URL parameters).
    CeleryPeer.ProcessResult refused =
        peer.runClient(
            List.of("flushdb"),
            Map.of("CELERY_BROKER_URL", url, "CELERY_RESULT_BACKEND", url),
            WAIT);

    assertThat(refused.exitCode()).isNotZero();
    assertThat(redis.log()).contains("certificate verify failed");
  }
}
