package jp.tsunagu.node.teamsync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import jp.tsunagu.node.care.CareClient;
import jp.tsunagu.node.testing.ThreadCpu;

/**
 * A shared board's write rate against a local board's (issue 25, item 2): the same clients post through
 * the public API to a board homed here that a partner's professional is on (each post becomes a signed,
 * sequenced and countersigned team event) and to a board no partner is on, in alternating rounds of the
 * same run. A flight recording over the rounds says how much of the database writer thread's time went
 * into Ed25519 signing. Target: shared ≥ 0.7 of local.
 */
final class SharedWriteRate {

  private static final int CLIENTS = Integer.getInteger("sync.writeClients", 4);
  private static final int SECONDS = Integer.getInteger("sync.writeSeconds", 8);
  private static final int ROUNDS = 2;
  private static final String WRITER_THREAD = "tsunagu-sqlite-writer";

  private SharedWriteRate() {}

  static void run(CrossNodeTestbed bed, CareClient doctor, String sharedPatient) throws Exception {
    String localPatient = doctor.post("/api/v1/patients", CrossNodeTestbed.patient("秋葉", "202096")).json()
        .getString("id");
    List<CareClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(bed.login("ina", doctor.userId, "ina-doctor"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      rate(pool, clients, localPatient, 3);
      rate(pool, clients, sharedPatient, 3);
      Path jfr = Files.createTempFile("tsunagu-writerate-", ".jfr");
      double local = 0;
      double shared = 0;
      double writerLocal = 0;
      double writerShared = 0;
      Map<String, Long> localCpu = new TreeMap<>();
      Map<String, Long> sharedCpu = new TreeMap<>();
      Map<String, Long> localSamples = new TreeMap<>();
      Map<String, Long> sharedSamples = new TreeMap<>();
      try (Recording recording = new Recording()) {
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(10));
        recording.start();
        for (int round = 0; round < ROUNDS; round++) {
          local += rate(pool, clients, localPatient, SECONDS);
          shared += rate(pool, clients, sharedPatient, SECONDS);
        }
        for (int round = 0; round < ROUNDS; round++) {
          writerLocal += writerRate(bed, doctor.userId, localPatient, SECONDS, localCpu, localSamples);
          writerShared += writerRate(bed, doctor.userId, sharedPatient, SECONDS, sharedCpu, sharedSamples);
        }
        recording.stop();
        recording.dump(jfr);
      }
      local /= ROUNDS;
      shared /= ROUNDS;

      double[] signing = signingShare(jfr);
      Files.deleteIfExists(jfr);
      System.out.printf("write rate, %d clients posting through the API, %d rounds of %d s: local board %,.0f posts/s,"
          + " shared board %,.0f posts/s, ratio %.2f (target >= 0.7)%n", CLIENTS, ROUNDS, SECONDS, local, shared,
          shared / local);
      System.out.printf("the writer alone (%d posts in flight, each written and logged as the post route does, no"
          + " HTTP): local board %,.0f posts/s, shared board %,.0f posts/s, ratio %.2f%n", IN_FLIGHT,
          writerLocal / ROUNDS, writerShared / ROUNDS, writerShared / writerLocal);
      System.out.printf("CPU per post of the writer alone, by thread (us; the home writer's statements and commits"
          + " are counts a post, its wall times microseconds a post): local board %s; shared board %s%n",
          perPost(localCpu), perPost(sharedCpu));
      System.out.printf("the home node's writer thread alone, where its samples were (local board): %s%n",
          WriterProfile.summary(localSamples));
      System.out.printf("the home node's writer thread alone, where its samples were (shared board): %s%n",
          WriterProfile.summary(sharedSamples));
      System.out.printf("database writer thread over both: %.0f samples, %.1f%% of them in Ed25519 signing (load"
          + " average %.1f, a shared machine)%n",
          signing[1], signing[1] == 0 ? 0 : 100 * signing[0] / signing[1],
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Posts per second the clients made together on one board in {@code seconds}, each awaiting its answer. */
  private static double rate(ExecutorService pool, List<CareClient> clients, String patientId, int seconds)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    List<Future<Integer>> done = new ArrayList<>();
    for (CareClient client : clients) {
      done.add(pool.submit(() -> {
        int posts = 0;
        while (System.nanoTime() < end) {
          CareClient.Reply reply = client.post("/api/v1/patients/" + patientId + "/posts",
              CrossNodeTestbed.note("ベンチマークの記録 " + posts));
          if (reply.status() != 201) {
            throw new IllegalStateException("a post was refused: " + reply);
          }
          posts++;
        }
        return posts;
      }));
    }
    long posts = 0;
    for (Future<Integer> f : done) {
      posts += f.get();
    }
    return posts / ((System.nanoTime() - start) / 1e9);
  }

  /** Writes kept queued on the database writer by {@link #writerRate}. */
  private static final int IN_FLIGHT = 32;

  /**
   * Posts per second the database writer commits on one board when it never waits for a client: each write
   * inserts a post and records its team event (signed and sequenced on a shared board), {@link #IN_FLIGHT}
   * at a time.
   */
  private static double writerRate(CrossNodeTestbed bed, String doctorId, String patientId, int seconds,
      Map<String, Long> cpu, Map<String, Long> samples) throws Exception {
    var ina = bed.node("ina");
    var database = ina.services().database();
    // both nodes' writer threads have one name: this node's is told apart by its id
    long homeWriter = database.submitWrite(c -> Thread.currentThread().getId()).join();
    WriterProfile profile = WriterProfile.start(homeWriter);
    ThreadCpu before = ThreadCpu.now();
    long homeWriterBefore = THREADS.getThreadCpuTime(homeWriter);
    jp.tsunagu.node.storage.WorkCounts countsBefore = database.workCounts();
    jp.tsunagu.node.storage.WriterTimes timesBefore = database.writerTimes();
    TeamSync sync = ina.feature(TeamSyncFeature.class).team();
    jp.tsunagu.node.care.CareActor doctor = CrossNodeTestbed.actor(ina, doctorId);
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(IN_FLIGHT);
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      slots.acquire();
      ina.services().database().submitWrite(c -> {
        String postId = jp.tsunagu.node.care.CareIds.next();
        jp.tsunagu.node.care.timeline.PostSql.insert(c, new jp.tsunagu.node.care.timeline.PostSql.NewPost(postId,
            patientId, doctor, "連絡", "note", "訪問看護。血圧 128/76、食欲あり。", null, null, List.of(), List.of()),
            ina.services().clock().instant().toString());
        // as the post route does: the event is drafted only on a board that takes part in sync
        sync.log().record(c, patientId, d -> sync.log().events().post(d, postId));
        return null;
      }).whenComplete((v, e) -> {
        done.incrementAndGet();
        slots.release();
      });
    }
    slots.acquire(IN_FLIGHT);
    double rate = done.get() / ((System.nanoTime() - start) / 1e9);
    slots.release(IN_FLIGHT);
    // the signer may still be at the last writes: its CPU belongs to them
    while (ina.services().database().submitRead(c -> TeamLogSql.unsigned(c, 1).isEmpty()).join() == Boolean.FALSE) {
      Thread.sleep(5);
    }
    long homeWriterNanos = THREADS.getThreadCpuTime(homeWriter) - homeWriterBefore;
    jp.tsunagu.node.storage.WorkCounts work = database.workCounts().minus(countsBefore);
    jp.tsunagu.node.storage.WriterTimes times = database.writerTimes().minus(timesBefore);
    ThreadCpu.now().since(before).forEach((group, nanos) -> {
      if (group.startsWith("tsunagu-")) {
        cpu.merge(group, nanos, Long::sum);
      }
    });
    cpu.merge(HOME_WRITER, homeWriterNanos, Long::sum);
    cpu.merge(STATEMENTS, work.writeStatements() * 1_000, Long::sum);
    cpu.merge(COMMITS, work.commits() * 1_000, Long::sum);
    cpu.merge(IN_TRANSACTIONS, times.transactionNanos(), Long::sum);
    cpu.merge(IN_COMMIT, times.commitNanos(), Long::sum);
    cpu.merge(POSTS, done.get(), Long::sum);
    profile.stopInto(samples);
    return rate;
  }

  /** Where the posts' count is kept among the CPU nanoseconds by thread group. */
  private static final String POSTS = " posts";
  /**
   * The home node's own writer thread (the group {@code tsunagu-sqlite-writer} also holds the partner's
   * writer applying the pushed events), its write statements and commits (kept times 1,000 so that a
   * per-post figure prints like the microseconds beside them).
   */
  private static final String HOME_WRITER = "home writer";
  private static final String STATEMENTS = "home writer statements";
  private static final String COMMITS = "home writer commits";
  /** The home writer's wall-clock time in its transactions, and of that in {@code commit} (the WAL and its fsync). */
  private static final String IN_TRANSACTIONS = "home writer wall in transactions";
  private static final String IN_COMMIT = "home writer wall in commit";
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** The node's own threads' CPU per post, in microseconds. */
  private static String perPost(Map<String, Long> cpu) {
    long posts = Math.max(1, cpu.getOrDefault(POSTS, 1L));
    StringBuilder out = new StringBuilder();
    cpu.forEach((group, nanos) -> {
      if (!group.equals(POSTS)) {
        out.append(String.format(java.util.Locale.ROOT, group.equals(COMMITS) ? "%s%s %.3f" : "%s%s %.1f",
            out.length() == 0 ? "" : ", ", group, nanos / 1e3 / posts));
      }
    });
    return out.toString();
  }

  /** Samples of the writer thread in Ed25519 signing, and all its samples (running Java or native code). */
  private static double[] signingShare(Path jfr) throws java.io.IOException {
    double signing = 0;
    double all = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
      var thread = event.getThread("sampledThread");
      if (thread == null || !WRITER_THREAD.equals(thread.getJavaName()) || event.getStackTrace() == null) {
        continue;
      }
      all++;
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        String type = frame.getMethod().getType().getName();
        String method = frame.getMethod().getName();
        if (type.endsWith("EventEnvelope") && (method.equals("sign") || method.equals("countersign"))
            || type.endsWith("crypto.Ed25519") || type.contains("rfc8032")) {
          signing++;
          break;
        }
      }
    }
    return new double[] {signing, all};
  }
}
