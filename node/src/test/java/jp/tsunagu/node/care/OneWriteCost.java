package jp.tsunagu.node.care;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.WorkCounts;

/**
 * What a one-write transaction costs a full node's database writer thread: one professional posts to a
 * patient's timeline through the public API, one post at a time (each its own transaction, with the post's
 * audit entry, live event and timeline touches), and a member reads the timeline between posts (an audited
 * read: a transaction of one audit row). Prints the writer thread's CPU per post and per transaction, commits
 * per post, and where its samples fell (a flight recording, 1 ms), by the writer's nearest frame of the
 * project's code and by its top frame. Run on the test class path:
 * {@code java -cp CLASSPATH jp.tsunagu.node.care.OneWriteCost} ({@code -Dcost.posts=N}, {@code -Dcost.warmUp=N}).
 */
public final class OneWriteCost {

  private static final int POSTS = Integer.getInteger("cost.posts", 2_000);
  private static final int WARM_UP = Integer.getInteger("cost.warmUp", 3_000);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private OneWriteCost() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-onewrite-");
    try (CareTestbed bed = CareTestbed.start(dir)) {
      CareClient doctor = bed.professional("dr-cost", "北原", "健一", "doctor", bed.clinic);
      CareClient nurse = bed.professional("ns-cost", "宮坂", "由美", "nurse", bed.nursingStation);
      String patient = doctor.post("/api/v1/patients", CareApiTest.patient("費用", "ハナ", "ヒヨウ", "ハナ",
          "1930-03-03")).json().getString("id");
      doctor.post("/api/v1/patients/" + patient + "/team/invitations",
          new JsonObject().put("userId", nurse.userId).put("teamRole", "訪問看護"));
      nurse.post("/api/v1/invitations/" + patient + "/accept", new JsonObject());
      Database database = bed.node.services().database();
      long writer = database.submitWrite(c -> Thread.currentThread().getId()).join();
      if (Boolean.getBoolean("cost.noAutoCheckpoint")) {
        database.submitWrite(c -> {
          try (var s = c.createStatement()) {
            s.execute("pragma wal_autocheckpoint = 0");
          }
          return null;
        }).join();
      }
      round(doctor, nurse, patient, WARM_UP);
      Thread.sleep(3_000);
      Recording recording = new Recording();
      recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
      recording.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(1));
      recording.start();
      WorkCounts before = database.workCounts();
      jp.tsunagu.node.storage.WriterTimes timesBefore = database.writerTimes();
      Path wal = Path.of(bed.node.services().config().databaseFile() + "-wal");
      long walBefore = Files.exists(wal) ? Files.size(wal) : 0;
      long cpuBefore = THREADS.getThreadCpuTime(writer);
      round(doctor, nurse, patient, POSTS);
      long cpu = THREADS.getThreadCpuTime(writer) - cpuBefore;
      WorkCounts work = database.workCounts().minus(before);
      jp.tsunagu.node.storage.WriterTimes times = database.writerTimes().minus(timesBefore);
      long walGrown = (Files.exists(wal) ? Files.size(wal) : 0) - walBefore;
      recording.stop();
      Path jfr = Files.createTempFile("tsunagu-onewrite-", ".jfr");
      recording.dump(jfr);
      recording.close();
      System.out.printf(Locale.ROOT, "%d posts and %d audited reads, one at a time: writer CPU %.1f us a post"
          + " (%.1f us a transaction), %.2f commits a post, %.2f write statements a commit (load average %.2f)%n",
          POSTS, POSTS, cpu / 1e3 / POSTS, cpu / 1e3 / Math.max(1, work.commits()), (double) work.commits() / POSTS,
          (double) work.writeStatements() / Math.max(1, work.commits()),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.printf(Locale.ROOT, "of a transaction: %.1f us CPU in it (statements, hooks, commit), %.1f us of it"
          + " in the commit statement; the rest (taking writes in, follow-ups, answers) %.1f us; WAL grew %.1f"
          + " frames a commit (meaningful with -Dcost.noAutoCheckpoint=true)%n",
          times.transactionCpuNanos() / 1e3 / times.transactions(), times.commitCpuNanos() / 1e3 / times.transactions(),
          (cpu - times.transactionCpuNanos()) / 1e3 / times.transactions(),
          walGrown / 4120.0 / Math.max(1, work.commits()));
      profile(jfr, writer);
      Files.deleteIfExists(jfr);
    }
  }

  private static void round(CareClient doctor, CareClient nurse, String patient, int posts) {
    for (int i = 0; i < posts; i++) {
      CareClient.Reply reply = doctor.post("/api/v1/patients/" + patient + "/posts",
          new JsonObject().put("category", "連絡").put("body", "訪問看護。血圧 128/76、食欲あり。" + i));
      if (reply.status() != 201) {
        throw new IllegalStateException("a post was refused: " + reply);
      }
      if (nurse.get("/api/v1/patients/" + patient + "/posts").status() != 200) {
        throw new IllegalStateException("a timeline read was refused");
      }
    }
  }

  private static void profile(Path jfr, long writer) throws java.io.IOException {
    Map<String, Long> byProject = new HashMap<>();
    Map<String, Long> byTop = new HashMap<>();
    long total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
      var thread = event.getThread("sampledThread");
      if (thread == null || thread.getJavaThreadId() != writer || event.getStackTrace() == null
          || event.getStackTrace().getFrames().isEmpty()) {
        continue;
      }
      total++;
      var frames = event.getStackTrace().getFrames();
      byTop.merge(name(frames.get(0)), 1L, Long::sum);
      String step = "other";
      for (RecordedFrame frame : frames) {
        String type = frame.getMethod().getType().getName();
        if (type.startsWith("jp.tsunagu.")) {
          step = name(frame);
          break;
        }
      }
      byProject.merge(step, 1L, Long::sum);
    }
    System.out.println("writer samples: " + total);
    System.out.println("by nearest project frame: " + top(byProject, total));
    System.out.println("by top frame: " + top(byTop, total));
  }

  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }

  private static String top(Map<String, Long> samples, long total) {
    return samples.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
        .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)))
        .collect(Collectors.joining(", "));
  }
}
