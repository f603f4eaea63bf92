package jp.tsunagu.node.disaster;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The CPU time of a load split by thread, grouped by the thread's name without its number: which
 * share the node's event loops, writer, readers and workers took, and which the load's own clients
 * (their threads and the JDK HTTP client's) took on the same cores.
 */
final class ThreadCpu {

  record Sample(String group, long cpuNanos) {}

  private ThreadCpu() {}

  static Map<Long, Sample> sample() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Sample> out = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        out.put(info.getThreadId(), new Sample(group(info.getThreadName()), cpu));
      }
    }
    return out;
  }

  /** Milliseconds of CPU per request for each group that took at least 0.01 ms, largest first. */
  static String perRequest(Map<Long, Sample> before, Map<Long, Sample> after, int requests) {
    Map<String, Long> byGroup = new TreeMap<>();
    after.forEach((id, sample) -> {
      Sample was = before.get(id);
      long used = sample.cpuNanos() - (was == null ? 0 : was.cpuNanos());
      byGroup.merge(sample.group(), used, Long::sum);
    });
    long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
    return String.format(Locale.ROOT, "all threads %.2f ms; ", total / 1e6 / requests) + byGroup.entrySet().stream()
        .filter(e -> e.getValue() / 1e6 / requests >= 0.01)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e6 / requests))
        .collect(Collectors.joining(", "));
  }

  /** "vert.x-eventloop-thread-3" and "pool-4-thread-17" as "vert.x-eventloop-thread-#" and "pool-#-thread-#". */
  private static String group(String name) {
    return name.replaceAll("\\d+", "#");
  }
}
