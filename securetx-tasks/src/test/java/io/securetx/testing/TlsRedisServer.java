package io.securetx.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} that speaks TLS only, on a free port of 127.0.0.1, with no
 * persistence; started by its tests and stopped by its process handle on {@link #close()}. Its log
 * is {@code redis-<port>.log} in the given directory.
 */
public final class TlsRedisServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private TlsRedisServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the server and waits until it accepts TCP connections.
   *
   * @param dir its working directory
   * @param certificate the server's PEM certificate (chain)
   * @param key the server's PEM private key
   * @param options further redis-server options, e.g. {@code --tls-auth-clients yes}
   * @return the running server
   * @throws IllegalStateException if it exits or does not listen within 20 seconds
   */
  public static TlsRedisServer start(Path dir, Path certificate, Path key, String... options)
      throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = dir.resolve("redis-" + port + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--tls-cert-file",
                certificate.toString(),
                "--tls-key-file",
                key.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(List.of(options));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TlsRedisServer server = new TlsRedisServer(process, port, log);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + server.log());
              }
              try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
              } catch (IOException e) {
                return false;
              }
            });
    return server;
  }

  /** Returns the TLS port. */
  public int port() {
    return port;
  }

  /** Returns what the server has logged so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 seconds). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
