package jp.tsunagu.node.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's threads, grouped by thread name with the numbers taken out
 * ("vert.x-eventloop-thread-3" and "-5" are one group): what a benchmark prints to say where the time
 * went, e.g. the database writer against its callers. A thread that ended between two snapshots loses
 * its time (the process total still has it); the JVM's own threads (JIT compiler, GC) appear under their
 * names where the JVM reports them as Java threads.
 */
public final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> nanosByThread;
  private final Map<Long, String> groupByThread;

  private ThreadCpu(Map<Long, Long> nanosByThread, Map<Long, String> groupByThread) {
    this.nanosByThread = nanosByThread;
    this.groupByThread = groupByThread;
  }

  /** Every live thread's CPU time now. */
  public static ThreadCpu now() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> groups = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        nanos.put(info.getThreadId(), cpu);
        groups.put(info.getThreadId(), group(info.getThreadName()));
      }
    }
    return new ThreadCpu(nanos, groups);
  }

  static String group(String threadName) {
    return threadName.replaceAll("[0-9]+", "#");
  }

  /** CPU nanoseconds per group between {@code before} and this, largest first. */
  public Map<String, Long> since(ThreadCpu before) {
    Map<String, Long> byGroup = new HashMap<>();
    nanosByThread.forEach((thread, nanos) -> byGroup.merge(groupByThread.get(thread),
        nanos - before.nanosByThread.getOrDefault(thread, 0L), Long::sum));
    return byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  /**
   * The CPU of the threads the JVM does not list as Java threads (its JIT compiler threads, the garbage
   * collector's), which {@link #since} cannot show: the process's CPU time less that of the listed threads,
   * as "JVM's own threads x" per {@code divisor}.
   */
  public static String unlisted(long processNanos, Map<String, Long> byGroup, double divisor) {
    long listed = byGroup.values().stream().mapToLong(Long::longValue).sum();
    return String.format(java.util.Locale.ROOT, "JVM's own threads (JIT compiler, GC) %.2f",
        (processNanos - listed) / 1e6 / divisor);
  }

  /** The largest groups, each as "name ms", per {@code divisor} (a second, a message). */
  public static String top(Map<String, Long> byGroup, int groups, double divisor) {
    return byGroup.entrySet().stream().limit(groups)
        .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e6 / divisor))
        .collect(Collectors.joining(", "));
  }
}
