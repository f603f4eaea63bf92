package jp.tsunagu.node.teamsync;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.json.JsonObject;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.storage.WorkCounts;
import jp.tsunagu.node.testing.JvmThreadCpu;
import jp.tsunagu.node.testing.ThreadCpu;

/**
 * The two federation paths of a care team, measured the way a person sees them: a post made through the
 * public web API, and the moment the receiving member's live stream (server-sent events, over TLS) says
 * it is there. Three real nodes on loopback under one agreement; one team board homed on the first
 * (ina) with members on the other two.
 * <ul>
 *   <li>path 1, home → partner: the doctor on ina posts, the nurse on minamiminowa receives;</li>
 *   <li>path 2, partner → home → partner: the nurse on minamiminowa posts, the home node sequences and
 *       countersigns it, the pharmacist on minowa receives.</li>
 * </ul>
 * Sends are open-loop at a fixed rate (the sender does not wait for the previous receipt; several sending
 * threads keep the schedule), after a warm-up. The clock runs from just before the send to the line of the
 * stream naming the post, matched by post id, both read in the benchmark's own process. CPU per message is
 * the CPU of the nodes' threads divided by messages ({@link PathCpu}): every node and both clients run in this
 * one JVM, so the clients' threads (senders, stream readers, their HTTP client) and the JVM's own (the JIT
 * compiler, GC) are printed apart, never counted in the server's figure nor left out. Commits (one fsync each under {@code synchronous=FULL}) are read per
 * node from its storage counters. Path 1 is then stepped up through 20, 50, 100, 150 and 200 messages/s;
 * a rate is kept up when its p99 is at most 100 ms, every message arrived, and the sender never fell more
 * than 100 ms behind its schedule (the node accepted writes as fast as they were offered).
 */
final class TwoPaths {

  /** Messages measured per path at 20/s: 500 by default, {@code -Dsync.pathMessages=N} for a shorter run. */
  private static final int MESSAGES = Integer.getInteger("sync.pathMessages", 500);
  /** Seconds each step of the rate search sends for: 10 by default, {@code -Dsync.stepSeconds=N}. */
  private static final int STEP_SECONDS = Integer.getInteger("sync.stepSeconds", 10);
  private static final int WARM_UP = 50;
  /**
   * Most messages sent at 100/s before each path's measurement, {@code -Dsync.jitWarmUp=N} (default 10,000),
   * in rounds of {@link #JIT_ROUND}, ended early once a round adds at most {@link #JIT_QUIET} ms to the JIT
   * compiler's total time: after 1,000 posts the compiler was still compiling the nodes' code through the
   * 20/s runs (methods crossing its thresholds one by one), and a node that has been up for a while runs
   * compiled code. The JIT compiler's time is printed beside each figure either way.
   */
  private static final int JIT_WARM_UP = Integer.getInteger("sync.jitWarmUp", 10_000);
  /** Messages per warm-up round, {@code -Dsync.jitRound=N} (default 500). */
  private static final int JIT_ROUND = Integer.getInteger("sync.jitRound", 500);
  /**
   * Milliseconds of compilation a warm-up round may add and still count as settled, {@code -Dsync.jitQuiet=N}
   * (default 100: 0.2 ms a message at 500 a round).
   */
  private static final int JIT_QUIET = Integer.getInteger("sync.jitQuiet", 100);
  private static final int[] STEPS = {20, 50, 100, 150, 200};
  private static final int SENDERS = 8;
  /**
   * Seconds at most to wait after the warm-up for the JIT compiler to finish what it queued,
   * {@code -Dsync.jitSettle=N} (default 60; 0 measures at once): on a busy machine its threads get little
   * CPU, so it was still compiling the warm-up's code through the measured runs, and a node that has been up
   * for a while does not pay that.
   */
  private static final int JIT_SETTLE = Integer.getInteger("sync.jitSettle", 60);
  /** Seconds the three nodes are left idle (streams open, no posts) to measure their fixed CPU per second. */
  private static final int IDLE_SECONDS = Integer.getInteger("sync.idleSeconds", 30);

  private final CrossNodeTestbed bed;
  private final String patientId;
  private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, new ClientThreads("sender"));
  private final PathHops hops;

  private TwoPaths(CrossNodeTestbed bed, String patientId) {
    this.bed = bed;
    this.patientId = patientId;
    this.hops = new PathHops(bed.nodes, patientId);
  }

  static void run(Path dir) throws Exception {
    try (CrossNodeTestbed bed = CrossNodeTestbed.start(dir, "ina", "minamiminowa", "minowa")) {
      CareClient doctor = bed.inaDoctor();
      CareClient nurse = bed.mmNurse();
      CareClient pharmacist = bed.professional("minowa", "mw-pharm", "箕輪", "pharmacist", "みのわ薬局", "pharmacy");
      String patientId = CrossNodeTestbed.sharedPatient(doctor, nurse, "mm-nurse@minamiminowa", "竹松");
      CrossNodeTestbed.join(doctor, pharmacist, "mw-pharm@minowa", patientId);
      TwoPaths paths = new TwoPaths(bed, patientId);
      try (Receiver atNurse = paths.receiver(nurse); Receiver atPharmacist = paths.receiver(pharmacist)) {
        line(String.format("two paths: %d messages per path at 20/s after up to %d at 100/s (until compilation"
            + " settles) and %d at 20/s of warm-up;"
            + " load average %.1f on %d cores (a shared machine: latency and CPU figures are noisy); collectors %s,"
            + " JVM flags %s%n", MESSAGES, JIT_WARM_UP, WARM_UP,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors(), ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList(),
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX") || a.startsWith("-Xm")).toList()));
        paths.warmUp(doctor, atNurse);
        paths.measure(doctor, atNurse, 20, WARM_UP);
        settleJit();
        paths.idle();
        paths.report("path 1 home -> partner (ina -> minamiminowa)", paths.measure(doctor, atNurse, 20, MESSAGES));
        paths.warmUp(nurse, atPharmacist);
        paths.measure(nurse, atPharmacist, 20, WARM_UP);
        settleJit();
        // the counters are live (they keep adding): read the numbers before and after
        Submissions.Counts counts = bed.node("ina").feature(TeamSyncFeature.class).team().submissionCounts();
        long received = counts.received();
        long repeated = counts.repeated();
        Run second = paths.measure(nurse, atPharmacist, 20, MESSAGES);
        paths.report("path 2 partner -> home -> partner (minamiminowa -> ina -> minowa)", second);
        line(String.format("  submissions to the home node per message: %.2f (%,d repeats; target 1.00)%n",
            (double) (counts.received() - received) / MESSAGES, counts.repeated() - repeated));
        paths.stepUp(doctor, atNurse);
      } finally {
        paths.hops.close();
        paths.senders.shutdownNow();
      }
    }
  }

  /**
   * Path 1 at each rate of {@link #STEPS} for {@link #STEP_SECONDS}: every step runs (a rate missed on a busy
   * machine says little about the next), the highest kept up is the last of an unbroken run from the first.
   */
  private void stepUp(CareClient sender, Receiver receiver) throws Exception {
    int kept = 0;
    boolean unbroken = true;
    for (int rate : STEPS) {
      Run step = measure(sender, receiver, rate, rate * STEP_SECONDS);
      boolean keptUp = step.keptUp();
      line(String.format("path 1 at %3d/s: p50 %.1f  p99 %.1f  max %.1f ms  lost %d  sender behind by at most"
          + " %.0f ms  server CPU %.2f ms/msg (JIT %.2f, clients %.2f, whole JVM %.2f)  -> %s%n", rate,
          step.percentile(50), step.percentile(99), step.percentile(100), step.lost, step.behindMillis,
          step.cpu.serverMillis(step.messages()), step.cpu.jitNanos() / 1e6 / step.messages(),
          step.cpu.clientNanos() / 1e6 / step.messages(), step.cpuMillisPerMessage(),
          keptUp ? "kept up" : "not kept up"));
      unbroken &= keptUp;
      if (unbroken) {
        kept = rate;
      }
    }
    line(String.format("path 1 highest rate kept up: %d/s (target >= 150/s with p99 <= 100 ms)%n", kept));
  }

  /**
   * The fixed cost: the three nodes with their live streams open and nothing posted, for
   * {@link #IDLE_SECONDS}: process CPU per second, the database work per node and second, and the threads
   * that spent it. At a low message rate this is most of the CPU per message.
   */
  private void idle() throws InterruptedException {
    Map<String, WorkCounts> workBefore = work();
    long cpuBefore = processCpu();
    ThreadCpu threadsBefore = ThreadCpu.now();
    JvmThreadCpu jvmBefore = JvmThreadCpu.now();
    long started = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
    double seconds = (System.nanoTime() - started) / 1e9;
    long cpu = processCpu() - cpuBefore;
    Map<String, Long> threads = ThreadCpu.now().since(threadsBefore);
    PathCpu split = PathCpu.of(cpu, threads, JvmThreadCpu.now(), jvmBefore);
    StringBuilder work = new StringBuilder();
    work().forEach((node, counts) -> {
      WorkCounts done = counts.minus(workBefore.get(node));
      work.append(String.format(" %s %.1f reads, %.1f writes, %.1f commits;", node, done.reads() / seconds,
          done.writes() / seconds, done.commits() / seconds));
    });
    line(String.format("idle, three nodes, %d s: CPU %.1f ms/s (the whole JVM; load average %.1f)%n  per second:%s%n"
        + "%s", IDLE_SECONDS, cpu / 1e6 / seconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        work, split.describe(seconds, "second").replace(" (target <= 6 ms)", "")));
  }

  /**
   * Sends at 100/s in rounds of {@link #JIT_ROUND} until a round adds at most {@link #JIT_QUIET} ms to the JIT
   * compiler's total compilation time ({@code CompilationMXBean}), or {@link #JIT_WARM_UP} messages were sent;
   * prints how it ended, so a figure taken while the compiler was still at work says so.
   */
  private void warmUp(CareClient sender, Receiver receiver) throws Exception {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    boolean timed = compiler != null && compiler.isCompilationTimeMonitoringSupported();
    List<Long> rounds = new ArrayList<>();
    int sent = 0;
    long added = Long.MAX_VALUE;
    while (sent < JIT_WARM_UP && added > JIT_QUIET) {
      long before = timed ? compiler.getTotalCompilationTime() : 0;
      measure(sender, receiver, 100, Math.min(JIT_ROUND, JIT_WARM_UP - sent));
      sent += Math.min(JIT_ROUND, JIT_WARM_UP - sent);
      added = timed ? compiler.getTotalCompilationTime() - before : Long.MAX_VALUE;
      rounds.add(added);
    }
    line(String.format("  warm-up: %,d messages at 100/s; compilation ms added per round of %d: %s -> %s%n", sent,
        JIT_ROUND, rounds, added <= JIT_QUIET ? "settled (at most " + JIT_QUIET + " ms a round)"
            : "NOT settled within " + JIT_WARM_UP + " messages: the JIT compiler's share below is still warm-up"));
  }

  /**
   * Waits until the JIT compiler's queue is empty (no compilation running or waiting, twice in a row a second
   * apart), at most {@link #JIT_SETTLE} seconds. Neither the JVM's compilation time (it counts a compilation
   * once finished) nor the compiler threads' CPU (on a machine this busy they get a few ms a second while
   * hundreds of methods wait) said when the warm-up's compilations were done.
   */
  private static void settleJit() throws Exception {
    long started = System.nanoTime();
    int empty = 0;
    int waiting = -1;
    for (int second = 0; second < JIT_SETTLE && empty < 2; second++) {
      waiting = JvmThreadCpu.compilationsQueued();
      empty = waiting == 0 ? empty + 1 : 0;
      Thread.sleep(1_000);
    }
    line(String.format("  (the JIT compiler's queue: %d compilations left after %.0f s of waiting)%n", waiting,
        (System.nanoTime() - started) / 1e9));
  }

  /** One measured run: latencies in nanoseconds of the messages that arrived, in the order of their sends. */
  private record Run(long[] latencies, int lost, double behindMillis, long cpuNanos, Map<String, WorkCounts> work,
      PathCpu cpu, String hops) {

    double percentile(int p) {
      if (latencies.length == 0) {
        return Double.NaN;
      }
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      int index = p == 100 ? sorted.length - 1 : Math.min(sorted.length - 1, sorted.length * p / 100);
      return sorted[index] / 1e6;
    }

    int messages() {
      return latencies.length + lost;
    }

    double cpuMillisPerMessage() {
      return cpuNanos / 1e6 / messages();
    }

    boolean keptUp() {
      return lost == 0 && percentile(99) <= 100 && behindMillis <= 100;
    }
  }

  private void report(String name, Run run) {
    line(String.format("%s: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f ms  (%d messages, %d lost; targets p50 <= 8,"
        + " p99 <= 40 ms)%n", name, run.percentile(50), run.percentile(90), run.percentile(99), run.percentile(100),
        run.messages(), run.lost));
    line(run.cpu.describe(run.messages(), "message") + String.format("  (load average %.1f)%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    StringBuilder work = new StringBuilder("  commits (fsyncs) per message:");
    double total = 0;
    for (var e : run.work.entrySet()) {
      double perMessage = (double) e.getValue().commits() / run.messages();
      total += perMessage;
      work.append(String.format(" %s %.2f", e.getKey(), perMessage));
    }
    System.out.println(work.append(String.format("; all nodes %.2f", total)));
    StringBuilder reads = new StringBuilder("  database reads per message (each a trip to a storage thread):");
    double allReads = 0;
    for (var e : run.work.entrySet()) {
      double perMessage = (double) e.getValue().reads() / run.messages();
      allReads += perMessage;
      reads.append(String.format(" %s %.2f", e.getKey(), perMessage));
    }
    System.out.println(reads.append(String.format("; all nodes %.2f", allReads)));
    line(run.hops + System.lineSeparator());
  }

  /**
   * Sends {@code count} posts at {@code rate} per second and waits (up to 10 s after the last send) for
   * each to reach the receiver's stream.
   */
  private Run measure(CareClient sender, Receiver receiver, int rate, int count) throws Exception {
    Map<String, WorkCounts> workBefore = work();
    long cpuBefore = processCpu();
    ThreadCpu threadsBefore = ThreadCpu.now();
    JvmThreadCpu jvmBefore = JvmThreadCpu.now();
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    hops.forget();
    AtomicLong behind = new AtomicLong();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    List<Future<?>> sends = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      int first = s;
      // message i goes out at start + i × interval; sender s takes i = s, s + SENDERS, …
      sends.add(senders.submit(() -> {
        for (int i = first; i < count; i += SENDERS) {
          long due = start + i * interval;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          long at = System.nanoTime();
          behind.accumulateAndGet(at - due, Math::max);
          CareClient.Reply reply = sender.post("/api/v1/patients/" + patientId + "/posts",
              CrossNodeTestbed.note("経路の計測 " + rate + "/s " + i));
          if (reply.status() != 201) {
            throw new IllegalStateException("a post was refused: " + reply);
          }
          long answered = System.nanoTime();
          sent.put(reply.json().getString("id"), at);
          acknowledged.put(reply.json().getString("id"), answered);
        }
        return null;
      }));
    }
    for (Future<?> f : sends) {
      f.get();
    }
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!receiver.arrived.keySet().containsAll(sent.keySet()) && System.nanoTime() < waitUntil) {
      Thread.sleep(10);
    }
    long cpu = processCpu() - cpuBefore;
    Map<String, Long> threads = ThreadCpu.now().since(threadsBefore);
    PathCpu split = PathCpu.of(cpu, threads, JvmThreadCpu.now(), jvmBefore);
    Map<String, WorkCounts> workAfter = work();
    Map<String, WorkCounts> work = new java.util.LinkedHashMap<>();
    workAfter.forEach((node, counts) -> work.put(node, counts.minus(workBefore.get(node))));
    List<Long> latencies = new ArrayList<>();
    sent.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
      Long got = receiver.arrived.get(e.getKey());
      if (got != null) {
        latencies.add(got - e.getValue());
      }
    });
    return new Run(latencies.stream().mapToLong(Long::longValue).toArray(), count - latencies.size(),
        behind.get() / 1e6, cpu, work, split, hops.medians(sent, acknowledged, receiver.arrived));
  }

  private Map<String, WorkCounts> work() {
    Map<String, WorkCounts> counts = new java.util.LinkedHashMap<>();
    bed.nodes.forEach((name, node) -> counts.put(name, node.services().database().workCounts()));
    return counts;
  }

  /** One write per line: printf writes a line in pieces, and the nodes' log lines land between them. */
  private static void line(String text) {
    System.out.print(text);
  }

  private static long processCpu() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private Receiver receiver(CareClient member) {
    Receiver receiver = new Receiver(member.stream("/api/v1/patients/" + patientId + "/live"));
    receiver.thread.start();
    return receiver;
  }

  /** The benchmark's own threads, named so {@link PathCpu} counts them as clients, not as the nodes' work. */
  private static final class ClientThreads implements java.util.concurrent.ThreadFactory {
    private final String kind;
    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

    ClientThreads(String kind) {
      this.kind = kind;
    }

    @Override
    public Thread newThread(Runnable runnable) {
      Thread thread = new Thread(runnable, PathCpu.CLIENT_PREFIX + kind + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /** A member's live stream, read on its own thread: the arrival time of each post it names. */
  private static final class Receiver implements AutoCloseable {
    final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final HttpResponse<Stream<String>> response;
    final Thread thread;

    Receiver(HttpResponse<Stream<String>> response) {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the live stream was refused: " + response.statusCode());
      }
      this.response = response;
      this.thread = new Thread(this::read, PathCpu.CLIENT_PREFIX + "stream-reader");
      thread.setDaemon(true);
    }

    private void read() {
      try (Stream<String> lines = response.body()) {
        lines.forEach(line -> {
          if (line.startsWith("data:")) {
            long at = System.nanoTime();
            JsonObject event = new JsonObject(line.substring(5).trim());
            if ("post".equals(event.getString("type")) && event.getString("postId") != null) {
              arrived.putIfAbsent(event.getString("postId"), at);
            }
          }
        });
      } catch (RuntimeException e) {
        // the stream ends when the nodes close
      }
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}
