package jp.tsunagu.node.sensors;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.node.TsunaguNode;

/**
 * The benchmark's backlog: every gateway delivers its backlog at once, each its own minutes in order,
 * while a trivial endpoint and a nurse's first timeline page are probed. A day from 1,000 gateways is
 * some 72 million readings and runs long, so it says where it is as it goes (readings stored, the rate,
 * the time left at that rate, the process's CPU and the machine's load), and ends with the catch-up
 * time, the rate, the serving figures against idle and the database's size on disk.
 */
final class SensorsBacklog {

  private SensorsBacklog() {}

  static void run(TsunaguNode node, HttpClient http, URI base, List<SensorsBenchmark.Gateway> gateways,
      long fromMinute, long toMinute, long idleP99, SensorsLiveLoad.Nurse nurse, long timelineIdleP99,
      int progressSeconds) throws Exception {
    List<SensorsBenchmark.Task> tasks = new ArrayList<>();
    int perGateway = gateways.get(0).households().size() * SensorsBenchmark.PLACES.length;
    long chunk = Math.max(1, SensorsBenchmark.MAX_READINGS / Math.max(1, perGateway));
    // Round robin over the gateways: they all deliver at once, each its day in order.
    for (long minute = fromMinute; minute < toMinute; minute += chunk) {
      for (SensorsBenchmark.Gateway gateway : gateways) {
        tasks.add(new SensorsBenchmark.Task(gateway, minute, Math.min(toMinute, minute + chunk)));
      }
    }
    long expected = 0;
    for (SensorsBenchmark.Gateway gateway : gateways) {
      expected += gateway.households().size() * (long) SensorsBenchmark.PLACES.length * (toMinute - fromMinute);
    }
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<Long> trivial = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> timeline = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.LongAdder trivialFailed = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder timelineFailed = new java.util.concurrent.atomic.LongAdder();
    List<Thread> probes = List.of(
        every20ms(done, () -> trivial.add(timed(() -> SensorsBenchmark.probe(http, base), trivialFailed))),
        every20ms(done, () -> timeline.add(timed(nurse::timelineRead, timelineFailed))));
    Progress progress = new Progress(node, expected, progressSeconds, done);
    probes.forEach(Thread::start);
    progress.start();
    long start = System.nanoTime();
    long cpuStart = Progress.cpuNanos();
    long readings = SensorsBenchmark.send(http, base, tasks);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (Progress.cpuNanos() - cpuStart) / 1e9;
    done.set(true);
    for (Thread probe : probes) {
      probe.join();
    }
    progress.interrupt();
    progress.join();
    List<Long> during = new ArrayList<>(trivial);
    List<Long> timelineDuring = new ArrayList<>(timeline);
    System.out.printf(Locale.ROOT, "  backlog: %,d gateways deliver %,d minutes at once (%,d batches, %,d readings):"
        + " caught up in %.1f s (%,.0f readings/s; %.0fx faster than the readings arrive)%n", gateways.size(),
        toMinute - fromMinute, tasks.size(), readings, seconds, readings / seconds,
        (toMinute - fromMinute) * 60.0 / seconds);
    System.out.printf(Locale.ROOT, "  backlog's cost: the process's CPU %.0f s (%.1f ms a thousand readings, client"
        + " included); load average %.1f on average over the run (%d cores)%n", cpu, cpu * 1e6 / readings,
        progress.meanLoad(), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "  trivial endpoint during the backlog: %,d requests (%,d failed or timed out),"
        + " p50 %.1f ms, p99 %.1f ms; idle p99 %.1f ms; ratio %.1f%n", during.size(), trivialFailed.sum(), SensorsBenchmark.percentile(during, 0.5) / 1e6,
        SensorsBenchmark.percentile(during, 0.99) / 1e6, idleP99 / 1e6,
        (double) SensorsBenchmark.percentile(during, 0.99) / idleP99);
    System.out.printf(Locale.ROOT, "  a nurse's first timeline page during the backlog: %,d reads (%,d failed or timed"
        + " out), p50 %.1f ms, p99 %.1f ms; idle p99 %.1f ms; ratio %.1f%n", timelineDuring.size(), timelineFailed.sum(),
        SensorsBenchmark.percentile(timelineDuring, 0.5) / 1e6,
        SensorsBenchmark.percentile(timelineDuring, 0.99) / 1e6, timelineIdleP99 / 1e6,
        (double) SensorsBenchmark.percentile(timelineDuring, 0.99) / timelineIdleP99);
    System.out.printf(Locale.ROOT, "  database after the backlog: %.2f GB on disk (file and write-ahead log),"
        + " %.2f GB in use%n", onDisk(node) / 1e9, SensorsBenchmark.databaseBytes(node) / 1e9);
  }

  /**
   * A probe's time; a probe that fails (a timeout: the client waits 30 s) counts with the time it took,
   * so that the worst answers stay in the figure and the probing goes on, where its thread used to end.
   */
  private static long timed(java.util.function.LongSupplier probe, java.util.concurrent.atomic.LongAdder failed) {
    long start = System.nanoTime();
    try {
      return probe.getAsLong();
    } catch (RuntimeException | AssertionError e) {
      failed.increment();
      return System.nanoTime() - start;
    }
  }

  /** A probe run every 20 ms until the backlog is done. */
  private static Thread every20ms(AtomicBoolean done, Runnable probe) {
    return new Thread(() -> {
      while (!done.get()) {
        probe.run();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** The node's database file and its write-ahead log. */
  static long onDisk(TsunaguNode node) {
    Path file = node.services().config().databaseFile();
    long bytes = 0;
    for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
      try {
        bytes += Files.exists(p) ? Files.size(p) : 0;
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return bytes;
  }

  /** Prints where the backlog is every few seconds, from the node's own count of readings stored. */
  private static final class Progress extends Thread {
    private final TsunaguNode node;
    private final long expected;
    private final int everySeconds;
    private final AtomicBoolean done;
    private double loadSum;
    private int loadSamples;

    Progress(TsunaguNode node, long expected, int everySeconds, AtomicBoolean done) {
      this.node = node;
      this.expected = expected;
      this.everySeconds = everySeconds;
      this.done = done;
      setDaemon(true);
    }

    static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    synchronized double meanLoad() {
      return loadSamples == 0 ? ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
          : loadSum / loadSamples;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      long cpuStart = cpuNanos();
      double base = stored();
      double last = base;
      long lastAt = start;
      while (!done.get()) {
        try {
          Thread.sleep(everySeconds * 1000L);
        } catch (InterruptedException e) {
          return;
        }
        long now = System.nanoTime();
        double stored = stored() - base;
        double recent = (stored - (last - base)) / ((now - lastAt) / 1e9);
        double overall = stored / ((now - start) / 1e9);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        synchronized (this) {
          loadSum += load;
          loadSamples++;
        }
        System.out.printf(Locale.ROOT, "    %5.0f s: %,.0f of %,d readings stored (%.1f%%), %,.0f/s now, %,.0f/s"
            + " overall, %.0f s left at the overall rate; CPU %.0f s; load %.1f; database %.2f GB%n",
            (now - start) / 1e9, stored, expected, 100 * stored / expected, recent, overall,
            overall > 0 ? (expected - stored) / overall : Double.NaN, (cpuNanos() - cpuStart) / 1e9, load,
            onDisk(node) / 1e9);
        last = stored + base;
        lastAt = now;
      }
    }

    private double stored() {
      return node.services().metrics().counter("tsunagu.sensors.readings.stored").count();
    }
  }
}
