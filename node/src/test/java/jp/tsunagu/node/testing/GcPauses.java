package jp.tsunagu.node.testing;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The collector's work over a phase of a benchmark, as the JVM counts it: collections and the time
 * they took (for G1's young and mixed collections, time the application was paused). A latency
 * figure that moves between two phases of one run is read beside these.
 */
public record GcPauses(long collections, long millis) {

  /** What the JVM's collectors counted since it started. */
  public static GcPauses now() {
    long count = 0;
    long time = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      // Concurrent cycles are counted by their own bean and pause nothing: left out.
      if (collector.getName().contains("Concurrent")) {
        continue;
      }
      count += Math.max(0, collector.getCollectionCount());
      time += Math.max(0, collector.getCollectionTime());
    }
    return new GcPauses(count, time);
  }

  /** What was counted from {@code earlier} to this. */
  public GcPauses since(GcPauses earlier) {
    return new GcPauses(collections - earlier.collections, millis - earlier.millis);
  }

  /** E.g. "41 collections, 212 ms (0.4% of 60 s)". */
  public String describe(int seconds) {
    return String.format(Locale.ROOT, "%d collections, %d ms (%.1f%% of %d s)", collections, millis,
        100.0 * millis / (seconds * 1000.0), seconds);
  }
}
