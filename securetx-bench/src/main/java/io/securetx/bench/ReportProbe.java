package io.securetx.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.securetx.app.Main;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Runs one {@code securetx} command in this JVM (the child {@link ReportBench} starts with a small
 * {@code -Xmx}) and prints, as its last line, a JSON object with the command's exit code, its wall
 * time from {@code main} (JVM start-up excluded), the process's CPU time over the same span (all
 * threads, JIT and GC included: the figure a busy machine disturbs least) and the heap it needed:
 * the largest heap occupancy right after a garbage collection (the live data) and the sum of the
 * heap pools' peaks (an upper bound of the peak occupancy, garbage included).
 */
final class ReportProbe {

  private ReportProbe() {}

  /**
   * Runs {@code securetx ARGS...} and prints the measurement.
   *
   * @param args the securetx command line
   */
  public static void main(String[] args) {
    AtomicLong maxAfterGc = new AtomicLong();
    List<String> collectors = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collectors.add(gc.getName());
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (!notification
                    .getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> pool :
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                  if (isHeap(pool.getKey())) {
                    used += pool.getValue().getUsed();
                  }
                }
                maxAfterGc.accumulateAndGet(used, Math::max);
              },
              null,
              null);
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    int code = Main.run(args);
    long wallNanos = System.nanoTime() - start;
    long cpuNanos = os.getProcessCpuTime() - cpuStart;
    long peaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peaks += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "{\"probe\": true, \"exit\": %d, \"wall_ms\": %.1f, \"cpu_ms\": %.1f,"
            + " \"max_heap_after_gc_mb\": %.1f,"
            + " \"heap_pool_peaks_mb\": %.1f, \"max_heap_mb\": %.1f, \"gc\": \"%s\"}%n",
        code,
        wallNanos / 1e6,
        cpuNanos / 1e6,
        maxAfterGc.get() / 1048576.0,
        peaks / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0,
        String.join(" + ", collectors));
    System.out.flush();
    System.exit(code);
  }

  private static boolean isHeap(String poolName) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals(poolName)) {
        return pool.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }
}
