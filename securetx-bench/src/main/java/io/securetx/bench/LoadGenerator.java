package io.securetx.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} keep-alive sockets, each with exactly
 * one request outstanding, driven by a few selector threads (one by default: on a small machine
 * shared with the server, one thread multiplexing every socket costs the least CPU). Requests are
 * pre-built bytes; only the digits of a per-request counter are rewritten in place, so each POST
 * carries a unique {@code Idempotency-Key} without any formatting on the hot path. Responses are
 * parsed just enough to read the status and skip the body ({@code Content-Length} only: the server
 * under test always sends it).
 *
 * <p>A run is warm-up (answers counted, latencies not recorded), then measurement (both), then a
 * drain: no new requests, every outstanding one answered, so the number of answers seen is exact.
 */
final class LoadGenerator {

  private static final byte[] COUNTER_MARK = "#COUNTER#".getBytes(StandardCharsets.US_ASCII);
  private static final int COUNTER_DIGITS = 12;

  private final InetSocketAddress address;
  private final int connections;
  private final int threads;

  LoadGenerator(InetSocketAddress address, int connections, int threads) {
    if (connections < 1 || threads < 1 || threads > connections) {
      throw new IllegalArgumentException(
          "need 1 <= threads <= connections, got " + threads + " and " + connections);
    }
    this.address = address;
    this.connections = connections;
    this.threads = threads;
  }

  /**
   * A request template; {@code #COUNTER#} (at most once, in a header or the body) is replaced by a
   * 12-digit number unique within the run, and the template must have a fixed {@code
   * Content-Length} around it.
   */
  static byte[] template(String text) {
    return text.replace("#COUNTER#", "#COUNTER#" + "0".repeat(COUNTER_DIGITS - COUNTER_MARK.length))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Runs {@code warmupSeconds} then {@code seconds} of load with the request {@code template} and
   * drains.
   *
   * @param expectedStatus the status that counts as success; any other is an error
   * @param serverCpuNanos the server's CPU time so far, sampled when measurement starts and ends
   * @throws IOException if a connection cannot be made or breaks
   * @throws InterruptedException if interrupted
   */
  Outcome run(
      byte[] template,
      int expectedStatus,
      int warmupSeconds,
      int seconds,
      java.util.function.LongSupplier serverCpuNanos)
      throws IOException, InterruptedException {
    int counterAt = indexOf(template, COUNTER_MARK);
    Phase phase = new Phase();
    List<Worker> workers = new ArrayList<>();
    long counterBase = 0;
    for (int t = 0; t < threads; t++) {
      int share = connections / threads + (t < connections % threads ? 1 : 0);
      workers.add(new Worker(template, counterAt, expectedStatus, share, counterBase, phase));
      // Counters of different threads never meet: each has its own block of ten billion.
      counterBase += 10_000_000_000L;
    }
    CountDownLatch done = new CountDownLatch(threads);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Worker worker = workers.get(t);
      Thread thread =
          new Thread(
              () -> {
                try {
                  worker.loop();
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  phase.state = Phase.STOP;
                } finally {
                  done.countDown();
                }
              },
              "load-" + t);
      thread.setDaemon(true);
      thread.start();
      running.add(thread);
    }
    Thread.sleep(warmupSeconds * 1000L);
    phase.state = Phase.MEASURE;
    long start = System.nanoTime();
    long cpuStart = cpuNanos(running);
    long serverStart = serverCpuNanos.getAsLong();
    Thread.sleep(seconds * 1000L);
    phase.state = Phase.STOP;
    long elapsed = System.nanoTime() - start;
    long cpuMeasured = cpuNanos(running) - cpuStart;
    long serverMeasured = serverCpuNanos.getAsLong() - serverStart;
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the load generator did not drain within 60 s");
    }
    Throwable thrown = failure.get();
    if (thrown != null) {
      throw new IOException("the load generator failed: " + thrown, thrown);
    }
    long total = 0;
    long measured = 0;
    Map<Integer, Long> errors = new TreeMap<>();
    long[][] samples = new long[threads][];
    int[] counts = new int[threads];
    for (int t = 0; t < threads; t++) {
      Worker w = workers.get(t);
      total += w.successes;
      measured += w.measuredSuccesses;
      w.errors.forEach((status, n) -> errors.merge(status, n, Long::sum));
      samples[t] = w.latencies;
      counts[t] = w.samples;
    }
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    long[] all = new long[n];
    int pos = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, pos, counts[t]);
      pos += counts[t];
    }
    Arrays.sort(all);
    return new Outcome(
        measured / (elapsed / 1e9),
        percentile(all, 0.50),
        percentile(all, 0.99),
        percentile(all, 0.999),
        total,
        errors,
        cpuMeasured / (double) elapsed,
        serverMeasured / (double) elapsed);
  }

  private static long cpuNanos(List<Thread> threads) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : threads) {
      long cpu = mx.getThreadCpuTime(t.getId());
      sum += Math.max(0, cpu);
    }
    return sum;
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * What a run saw.
   *
   * @param perSecond expected answers per second while measuring
   * @param p50Ms median latency of expected answers while measuring
   * @param p99Ms 99th percentile
   * @param p999Ms 99.9th percentile
   * @param successes expected answers over the whole run, warm-up and drain included
   * @param errors other statuses (or -1 for a closed connection) and how often they came
   * @param generatorCores CPU the generator threads used while measuring, in cores
   * @param serverCores CPU the server process used while measuring, in cores
   */
  record Outcome(
      double perSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      long successes,
      Map<Integer, Long> errors,
      double generatorCores,
      double serverCores) {

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Shared between the driver and the workers. */
  private static final class Phase {
    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;
    volatile int state = WARMUP;
  }

  /** One selector thread and its connections. */
  private final class Worker {
    private final byte[] template;
    private final int counterAt;
    private final int expectedStatus;
    private final int connectionCount;
    private final Phase phase;
    private long counter;
    long successes;
    long measuredSuccesses;
    final Map<Integer, Long> errors = new TreeMap<>();
    long[] latencies = new long[1 << 16];
    int samples;

    Worker(
        byte[] template,
        int counterAt,
        int expectedStatus,
        int connectionCount,
        long counterBase,
        Phase phase) {
      this.template = template;
      this.counterAt = counterAt;
      this.expectedStatus = expectedStatus;
      this.connectionCount = connectionCount;
      this.counter = counterBase;
      this.phase = phase;
    }

    void loop() throws IOException {
      try (Selector selector = Selector.open()) {
        List<Connection> open = new ArrayList<>();
        try {
          for (int i = 0; i < connectionCount; i++) {
            SocketChannel channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            Connection c = new Connection(channel, key, template.clone());
            key.attach(c);
            open.add(c);
          }
          for (Connection c : open) {
            send(c);
          }
          int outstanding = open.size();
          long drainDeadline = Long.MAX_VALUE;
          while (outstanding > 0) {
            if (phase.state == Phase.STOP && drainDeadline == Long.MAX_VALUE) {
              drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            if (System.nanoTime() > drainDeadline) {
              throw new IOException(outstanding + " requests still unanswered 30 s after the stop");
            }
            selector.select(100);
            var keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
              SelectionKey key = keys.next();
              keys.remove();
              Connection c = (Connection) key.attachment();
              if (key.isWritable()) {
                flush(c);
              }
              if (key.isReadable() && read(c)) {
                if (phase.state == Phase.STOP) {
                  c.key.interestOps(0);
                  outstanding--;
                } else {
                  send(c);
                }
              }
            }
          }
        } finally {
          for (Connection c : open) {
            c.channel.close();
          }
        }
      }
    }

    private void send(Connection c) throws IOException {
      if (counterAt >= 0) {
        long value = counter++;
        for (int i = counterAt + COUNTER_DIGITS - 1; i >= counterAt; i--) {
          c.request[i] = (byte) ('0' + value % 10);
          value /= 10;
        }
      }
      c.out.clear();
      c.started = System.nanoTime();
      flush(c);
    }

    private void flush(Connection c) throws IOException {
      c.channel.write(c.out);
      c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Reads what is there; true once a whole response has arrived (and was accounted for). */
    private boolean read(Connection c) throws IOException {
      int n = c.channel.read(c.in);
      if (n < 0) {
        throw new IOException("the server closed a connection");
      }
      int end = c.in.position();
      byte[] b = c.in.array();
      if (c.headerEnd < 0) {
        for (int i = Math.max(3, c.scanned); i < end; i++) {
          if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
            c.headerEnd = i + 1;
            break;
          }
        }
        c.scanned = end;
        if (c.headerEnd < 0) {
          if (!c.in.hasRemaining()) {
            throw new IOException("response headers larger than " + c.in.capacity() + " bytes");
          }
          return false;
        }
        c.bodyLength = contentLength(b, c.headerEnd);
      }
      if (end < c.headerEnd + c.bodyLength) {
        if (c.headerEnd + c.bodyLength > c.in.capacity()) {
          throw new IOException("response larger than " + c.in.capacity() + " bytes");
        }
        return false;
      }
      if (end > c.headerEnd + c.bodyLength) {
        throw new IOException("bytes after the response: the server answered more than asked");
      }
      long latency = System.nanoTime() - c.started;
      int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
      if (status == expectedStatus) {
        successes++;
        if (phase.state == Phase.MEASURE) {
          measuredSuccesses++;
          if (samples == latencies.length) {
            latencies = Arrays.copyOf(latencies, samples * 2);
          }
          latencies[samples++] = latency;
        }
      } else {
        errors.merge(status, 1L, Long::sum);
      }
      c.in.clear();
      c.headerEnd = -1;
      c.scanned = 0;
      return true;
    }

    private int contentLength(byte[] b, int headerEnd) throws IOException {
      byte[] name = "content-length:".getBytes(StandardCharsets.US_ASCII);
      for (int line = indexAfterCrlf(b, 0, headerEnd); line >= 0 && line < headerEnd; ) {
        boolean match = line + name.length < headerEnd;
        for (int j = 0; match && j < name.length; j++) {
          match = Character.toLowerCase(b[line + j]) == name[j];
        }
        if (match) {
          int value = 0;
          for (int i = line + name.length; b[i] != '\r'; i++) {
            if (b[i] >= '0' && b[i] <= '9') {
              value = value * 10 + (b[i] - '0');
            }
          }
          return value;
        }
        line = indexAfterCrlf(b, line, headerEnd);
      }
      throw new IOException(
          "a response without Content-Length: "
              + new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1).strip());
    }

    private int indexAfterCrlf(byte[] b, int from, int limit) {
      for (int i = from; i + 1 < limit; i++) {
        if (b[i] == '\r' && b[i + 1] == '\n') {
          return i + 2;
        }
      }
      return -1;
    }
  }

  /** One keep-alive connection and its buffers. */
  private static final class Connection {
    final SocketChannel channel;
    final byte[] request;
    final ByteBuffer out;
    final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    final SelectionKey key;
    long started;
    int headerEnd = -1;
    int scanned;
    int bodyLength;

    Connection(SocketChannel channel, SelectionKey key, byte[] request) {
      this.channel = channel;
      this.key = key;
      this.request = request;
      this.out = ByteBuffer.wrap(request);
    }
  }
}
