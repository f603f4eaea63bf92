package jp.tsunagu.node.sensors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.storage.RequestPaths;
import jp.tsunagu.node.storage.WorkCounts;
import jp.tsunagu.node.storage.WriterTimes;
import jp.tsunagu.node.testing.GcPauses;
import jp.tsunagu.node.testing.ThreadCpu;

/**
 * One timed phase of the live part (the timeline alone, or with the ingest), or the sum of several of one
 * kind: the reads' latencies, their client times and paths on the node, and what the node spent meanwhile
 * (CPU by thread and in all, the other JVMs' CPU, collections, database work, the writer's times, the
 * readings stored, the alerts raised, the writer's bytes). The phases alternate within a run, so that one
 * phase on a machine that was busier for a minute does not decide the ratio; the sums give the counts
 * per kind over all its phases.
 */
final class LivePhase {

  private static final WriterTimes NO_WRITER_TIME = new WriterTimes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0);
  private static final WorkCounts NO_WORK = new WorkCounts(0, 0, 0, 0, 0);

  final List<Long> latencies = new ArrayList<>();
  final List<SlowReadPaths.ClientRead> reads = new ArrayList<>();
  final Map<String, RequestPaths.Path> paths = new HashMap<>();
  final Map<String, Long> cpuByThread = new HashMap<>();
  final Map<String, Integer> alerts = new TreeMap<>();
  long processNanos;
  long generatorNanos;
  long gatewaysNanos;
  long writerBytes;
  double stored;
  int seconds;
  int phases;
  GcPauses gc = new GcPauses(0, 0);
  WorkCounts work = NO_WORK;
  WriterTimes writer = NO_WRITER_TIME;

  /** What a phase starts from. */
  record Start(long wallMs, GcPauses gc, ThreadCpu cpu, long process, long generator, long gateways, ThreadIo io,
      WorkCounts work, WriterTimes writer, double stored) {}

  static Start start(TsunaguNode node, TimelineGenerator generator, GatewayGenerator ingest) {
    return new Start(System.currentTimeMillis(), GcPauses.now(), ThreadCpu.now(), processCpu(), generator.cpuNanos(),
        ingest.cpuNanos(), ThreadIo.now(), node.services().database().workCounts(),
        node.services().database().writerTimes(), stored(node));
  }

  /** Times the mix for {@code seconds} from now and answers the phase; its paths recorded meanwhile. */
  static LivePhase timed(TsunaguNode node, TimelineGenerator generator, GatewayGenerator ingest, int seconds)
      throws Exception {
    RequestPaths recorder = node.services().database().requestPaths();
    Start start = start(node, generator, ingest);
    recorder.start();
    List<SlowReadPaths.ClientRead> reads = new ArrayList<>();
    List<Long> latencies = generator.timed(seconds, reads);
    Map<String, RequestPaths.Path> recorded = recorder.stop();
    LivePhase phase = new LivePhase();
    phase.seconds = seconds;
    phase.phases = 1;
    phase.latencies.addAll(latencies);
    phase.reads.addAll(reads);
    phase.paths.putAll(recorded);
    phase.cpuByThread.putAll(ThreadCpu.now().since(start.cpu()));
    phase.processNanos = processCpu() - start.process();
    phase.generatorNanos = generator.cpuNanos() - start.generator();
    phase.gatewaysNanos = ingest.cpuNanos() - start.gateways();
    phase.writerBytes = ThreadIo.now().bytesSince(start.io(), "tsunagu-sqlite-");
    phase.gc = GcPauses.now().since(start.gc());
    phase.work = node.services().database().workCounts().minus(start.work());
    phase.writer = node.services().database().writerTimes().minus(start.writer());
    phase.stored = stored(node) - start.stored();
    phase.alerts.putAll(alertsRaised(node, start.wallMs(), System.currentTimeMillis()));
    return phase;
  }

  /** Adds another phase of the same kind to this sum. */
  void add(LivePhase other) {
    latencies.addAll(other.latencies);
    reads.addAll(other.reads);
    paths.putAll(other.paths);
    other.cpuByThread.forEach((group, nanos) -> cpuByThread.merge(group, nanos, Long::sum));
    other.alerts.forEach((kind, count) -> alerts.merge(kind, count, Integer::sum));
    processNanos += other.processNanos;
    generatorNanos += other.generatorNanos;
    gatewaysNanos += other.gatewaysNanos;
    writerBytes += other.writerBytes;
    stored += other.stored;
    seconds += other.seconds;
    phases += other.phases;
    gc = new GcPauses(gc.collections() + other.gc.collections(), gc.millis() + other.gc.millis());
    // The records subtract only: adding is subtracting the other's negative.
    work = work.minus(NO_WORK.minus(other.work));
    writer = writer.minus(NO_WRITER_TIME.minus(other.writer));
  }

  long p99() {
    return SensorsBenchmark.percentile(latencies, 0.99);
  }

  long p50() {
    return SensorsBenchmark.percentile(latencies, 0.5);
  }

  /** The CPU by thread group, largest first. */
  Map<String, Long> cpuLargestFirst() {
    Map<String, Long> sorted = new LinkedHashMap<>();
    cpuByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** The process's CPU time so far (nanoseconds), the client's threads and the JVM's own included. */
  static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The readings the ingest stored since the node started. */
  static double stored(TsunaguNode node) {
    return node.services().metrics().counter("tsunagu.sensors.readings.stored").count();
  }

  /** The alerts raised between the two times, by kind. */
  private static Map<String, Integer> alertsRaised(TsunaguNode node, long fromMs, long toMs) {
    return node.services().database().submitRead(c -> {
      Map<String, Integer> kinds = new TreeMap<>();
      try (var s = c.prepareStatement("select kind, count(*) from sensor_alerts where raised_ms >= ? and raised_ms < ?"
          + " group by kind")) {
        s.setLong(1, fromMs);
        s.setLong(2, toMs);
        try (var rs = s.executeQuery()) {
          while (rs.next()) {
            kinds.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
      return kinds;
    }).join();
  }
}
