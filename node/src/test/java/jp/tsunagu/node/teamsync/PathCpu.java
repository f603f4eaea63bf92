package jp.tsunagu.node.teamsync;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jp.tsunagu.node.testing.JvmThreadCpu;
import jp.tsunagu.node.testing.ThreadCpu;

/**
 * A run's CPU split the way the figure is meant: the nodes' own threads (what a message costs a server), the
 * benchmark's clients (its senders, the live-stream readers and the HTTP client they share: they run in the
 * same JVM but are no part of a node), and the JVM's own threads (the JIT compiler, GC), each printed apart so
 * that none is hidden in another. The nodes never use the JDK's HTTP client, so its threads are the clients'; a
 * flight recorder's threads (JFR, when a profile is taken) are counted with the clients, as no part of a node.
 */
record PathCpu(Map<String, Long> server, Map<String, Long> clients, long jitNanos, long gcAndRestNanos,
    long processNanos) {

  /** Thread name prefix of the benchmark's own threads (senders, stream readers). */
  static final String CLIENT_PREFIX = "bench-client-";

  static boolean client(String group) {
    return group.startsWith(CLIENT_PREFIX) || group.startsWith("HttpClient-") || group.equals("main")
        || group.startsWith("JFR ");
  }

  /**
   * @param processNanos the process's CPU over the run
   * @param threads      CPU per Java thread group over the run ({@link ThreadCpu#since})
   * @param jvm          the JVM's own threads at the end, {@code jvmBefore} at the start
   */
  static PathCpu of(long processNanos, Map<String, Long> threads, JvmThreadCpu jvm, JvmThreadCpu jvmBefore) {
    Map<String, Long> server = new LinkedHashMap<>();
    Map<String, Long> clients = new LinkedHashMap<>();
    threads.forEach((group, nanos) -> (client(group) ? clients : server).put(group, nanos));
    long listed = threads.values().stream().mapToLong(Long::longValue).sum();
    long jit = jvm.jitNanosSince(jvmBefore);
    return new PathCpu(server, clients, jit, Math.max(0, processNanos - listed - jit), processNanos);
  }

  long serverNanos() {
    return server.values().stream().mapToLong(Long::longValue).sum();
  }

  long clientNanos() {
    return clients.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The server's CPU in ms per {@code divisor} (a message). */
  double serverMillis(double divisor) {
    return serverNanos() / 1e6 / divisor;
  }

  /** The lines of a report, per {@code divisor} (a message, or a second when idle). */
  String describe(double divisor, String per) {
    return String.format(Locale.ROOT, "  server CPU %.2f ms per %s, the three nodes' threads (target <= 6 ms): %s%n"
        + "  apart: the benchmark's clients %.2f (%s); the JIT compiler %.2f; GC, safepoints and other JVM threads"
        + " %.2f; the whole JVM %.2f%n", serverMillis(divisor), per, ThreadCpu.top(server, 8, divisor),
        clientNanos() / 1e6 / divisor, ThreadCpu.top(clients, 4, divisor), jitNanos / 1e6 / divisor,
        gcAndRestNanos / 1e6 / divisor, processNanos / 1e6 / divisor);
  }
}
