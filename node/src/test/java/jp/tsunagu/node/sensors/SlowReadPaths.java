package jp.tsunagu.node.sensors;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import jp.tsunagu.node.storage.RequestPaths;

/**
 * Where the timeline reads' time went, stage by stage, for the slowest of a phase against its middle: each
 * read's own times at the client (when it was due, sent, answered) joined by its request id with its path
 * on the node ({@link RequestPaths}: the reader, the writer's queue, the transaction, the commit, the event
 * loop's waits), and the collector's pauses that fell within it. The timeline's client runs in a JVM of its
 * own ({@link TimelineGenerator}) on the same machine: both read the system's monotonic clock.
 */
final class SlowReadPaths {

  /** One read as the client saw it (nanoTime). */
  record ClientRead(String requestId, long due, long sent, long answered) {}

  /** A collector's pause, on the nanoTime clock. */
  record Pause(long start, long nanos) {}

  private static final ConcurrentLinkedQueue<Pause> PAUSES = new ConcurrentLinkedQueue<>();
  private static volatile boolean listening;

  private SlowReadPaths() {}

  /** Starts keeping the collector's pauses (once per JVM). */
  static synchronized void listenToPauses() {
    if (listening) {
      return;
    }
    listening = true;
    long jvmStart = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    NotificationListener listener = (notification, handback) -> {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
          (CompositeData) notification.getUserData());
      if (info.getGcName().contains("Concurrent")) {
        return; // concurrent cycles pause nothing
      }
      PAUSES.add(new Pause(jvmStart + info.getGcInfo().getStartTime() * 1_000_000L,
          Math.max(1, info.getGcInfo().getDuration()) * 1_000_000L));
    };
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
    }
  }

  /**
   * Prints, for the phase's slowest reads (at and above its p99) and for its middle (p45 to p55), the mean
   * of each stage and of the collector's pauses within the reads.
   */
  static void report(String phase, List<ClientRead> reads, Map<String, RequestPaths.Path> paths) {
    List<ClientRead> sorted = new ArrayList<>(reads);
    sorted.sort(Comparator.comparingLong(r -> r.answered() - r.due()));
    int n = sorted.size();
    if (n < 100) {
      return;
    }
    print(phase + ", slowest 1%", sorted.subList((int) (n * 0.99), n), paths);
    print(phase + ", middle (p45-p55)", sorted.subList((int) (n * 0.45), (int) (n * 0.55)), paths);
  }

  private static void print(String band, List<ClientRead> reads, Map<String, RequestPaths.Path> paths) {
    Map<String, Long> sums = new LinkedHashMap<>();
    long total = 0;
    long paused = 0;
    int withPause = 0;
    int found = 0;
    int behindBulk = 0;
    for (ClientRead read : reads) {
      RequestPaths.Path path = paths.get(read.requestId());
      if (path == null || path.ended() == 0) {
        continue;
      }
      found++;
      total += read.answered() - read.due();
      add(sums, "client: due to sent", read.sent() - read.due());
      add(sums, "client to the node's first handler", path.begun() - read.sent());
      path.stages().forEach((stage, nanos) -> add(sums, stage, nanos));
      add(sums, "response end to the client", read.answered() - path.ended());
      long overlap = pausedWithin(read.due(), read.answered());
      paused += overlap;
      withPause += overlap > 0 ? 1 : 0;
      behindBulk += path.waitedBehindBulk() ? 1 : 0;
    }
    if (found == 0) {
      System.out.printf(Locale.ROOT, "    %s: no paths recorded%n", band);
      return;
    }
    StringBuilder line = new StringBuilder();
    int count = found;
    sums.forEach((stage, nanos) -> line.append(String.format(Locale.ROOT, "; %s %.2f", stage, nanos / 1e6 / count)));
    System.out.printf(Locale.ROOT, "    %s (%d reads, %d with a path): mean %.2f ms%s; collector's pauses within"
        + " %.2f ms (%d reads); audit entry queued behind a bulk transaction: %d reads%n", band, reads.size(), found,
        total / 1e6 / found, line, paused / 1e6 / found, withPause, behindBulk);
  }

  private static long pausedWithin(long from, long to) {
    long overlap = 0;
    for (Pause pause : PAUSES) {
      overlap += Math.max(0, Math.min(to, pause.start() + pause.nanos()) - Math.max(from, pause.start()));
    }
    return overlap;
  }

  private static void add(Map<String, Long> sums, String stage, long nanos) {
    sums.merge(stage, nanos, Long::sum);
  }
}
