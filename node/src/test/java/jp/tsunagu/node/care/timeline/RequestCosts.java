package jp.tsunagu.node.care.timeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import jp.tsunagu.node.TsunaguNode;
import jp.tsunagu.node.storage.WorkCounts;

/**
 * What one request of a measurement cost the node, for {@link TimelineBenchmark}: the storage
 * work (read jobs, statements, write jobs, commits: the node's own counters), audit rows appended,
 * and the node's CPU time split by the threads that spent it (event loops: TLS, HTTP, routing and
 * JSON; the SQLite readers; the SQLite writer). Counted from a snapshot taken at the measurement's
 * start; with a Java Flight Recorder file of the same measurement, {@link #sampled} splits the CPU
 * time further by what the sampled stacks were doing.
 */
final class RequestCosts {

  /** Thread groups by name prefix; every other thread is "other". */
  private static final Map<String, String> THREADS = new LinkedHashMap<>();

  static {
    THREADS.put("vert.x-eventloop", "event loops");
    THREADS.put("tsunagu-sqlite-reader", "sqlite readers");
    THREADS.put("tsunagu-sqlite-writer", "sqlite writer");
  }

  /**
   * What a sampled stack was doing, by the frame nearest its top of a class under one of these
   * prefixes (HTTP parsing runs inside the TLS handler's frames, so the innermost one decides);
   * a stack through the audit hash counts as that.
   */
  private static final String AUDIT_HASH = "jp.tsunagu.federation.audit.AuditHash";
  private static final List<String[]> CATEGORIES = List.of(
      new String[] {"org.sqlite.", "SQL (SQLite and its driver)"},
      new String[] {"sun.security.ssl.", "TLS"},
      new String[] {"io.netty.handler.ssl.", "TLS"},
      new String[] {"javax.crypto.", "TLS"},
      new String[] {"com.sun.crypto.", "TLS"},
      new String[] {"sun.security.provider.", "TLS"},
      new String[] {"com.fasterxml.jackson.", "JSON"},
      new String[] {"io.vertx.core.json.", "JSON"},
      new String[] {"ch.qos.logback.", "logging"},
      new String[] {"org.slf4j.", "logging"},
      new String[] {"io.netty.handler.codec.http.", "HTTP"},
      new String[] {"io.vertx.core.http.", "HTTP"},
      new String[] {"io.vertx.ext.web.", "HTTP"},
      new String[] {"io.netty.", "network I/O"},
      new String[] {"jp.tsunagu.", "Tsunagu code"});

  private final TsunaguNode node;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final WorkCounts work;
  private final Map<String, Long> cpu;
  private final long auditSeq;

  private RequestCosts(TsunaguNode node) {
    this.node = node;
    this.work = node.services().database().workCounts();
    this.cpu = cpuByGroup();
    this.auditSeq = auditSeq(node);
  }

  static RequestCosts begin(TsunaguNode node) {
    return new RequestCosts(node);
  }

  /** One line: what each of {@code requests} cost on average since the start. */
  String perRequest(long requests) {
    if (requests == 0) {
      return "";
    }
    WorkCounts used = node.services().database().workCounts().minus(work);
    Map<String, Long> now = cpuByGroup();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "per request: %.2f read jobs, %.1f read statements, %.2f write jobs, %.1f write statements, %.3f commits,"
            + " %.2f audit rows; cpu us:", used.reads() / (double) requests, used.readStatements() / (double) requests,
        used.writes() / (double) requests, used.writeStatements() / (double) requests,
        used.commits() / (double) requests, (auditSeq(node) - auditSeq) / (double) requests));
    now.forEach((group, nanos) -> line.append(String.format(Locale.ROOT, " %s %.0f", group,
        (nanos - cpu.getOrDefault(group, 0L)) / 1e3 / requests)));
    return line.toString();
  }

  private Map<String, Long> cpuByGroup() {
    Map<String, Long> byGroup = new TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      long nanos = threads.getThreadCpuTime(id);
      var info = threads.getThreadInfo(id);
      if (nanos > 0 && info != null) {
        byGroup.merge(group(info.getThreadName()), nanos, Long::sum);
      }
    }
    return byGroup;
  }

  private static String group(String thread) {
    return THREADS.entrySet().stream().filter(e -> thread.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse("other");
  }

  private static long auditSeq(TsunaguNode node) {
    try {
      return node.services().database().submitRead(c -> {
        try (PreparedStatement s = c.prepareStatement("select coalesce(max(seq), 0) from audit_log");
            ResultSet rs = s.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The share of the recording's CPU samples of the node's threads by what they were doing, as
   * "category percent" pairs, largest first.
   */
  static String sampled(Path recording) throws java.io.IOException {
    Map<String, Integer> counts = new TreeMap<>();
    int total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
      counts.merge(group(thread) + ": " + category(event.getStackTrace().getFrames()), 1, Integer::sum);
      total++;
    }
    int all = total;
    StringBuilder out = new StringBuilder();
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / all,
            e.getKey())));
    return out.toString();
  }

  private static String category(List<RecordedFrame> frames) {
    if (frames.stream().anyMatch(f -> f.getMethod() != null && f.getMethod().getType().getName().equals(AUDIT_HASH))) {
      return "audit hash";
    }
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
      for (String[] category : CATEGORIES) {
        if (type.startsWith(category[0])) {
          return category[1];
        }
      }
    }
    return "JDK and the rest";
  }
}
