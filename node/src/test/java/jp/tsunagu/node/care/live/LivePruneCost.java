package jp.tsunagu.node.care.live;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.WorkCounts;
import jp.tsunagu.node.storage.WriterTimes;

/**
 * What keeping a live event costs the writer, and what the prune of old ones adds to the write that does
 * it: events recorded one per transaction on a real database file past the {@link LiveLog#KEEP} kept, the
 * statements and the writer thread's CPU inside each transaction's work (recording and, once every
 * {@link LiveLog#PRUNE_EVERY} events, removing the oldest), and the transaction's commit as the writer
 * times it. Run on the test class path: {@code java -cp CLASSPATH jp.tsunagu.node.care.live.LivePruneCost}
 * ({@code -Dcost.events=N}).
 */
public final class LivePruneCost {

  private static final int EVENTS = Integer.getInteger("cost.events", 5_000);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private LivePruneCost() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-liveprune-");
    JsonObject event = new JsonObject().put("type", "post").put("postId", "p-0123456789abcdef0123456789abcdef");
    try (Database database = Database.open(dir.resolve("live.db"), new NodeConfig.Storage(4, Duration.ofSeconds(10), 256))) {
      // The window full, as on a node that has run a while.
      database.submitWrite(c -> {
        for (long i = 0; i < LiveLog.KEEP; i++) {
          LiveLog.record(c, "board-" + (i % 50), event, "2026-12-07T00:00:00Z");
        }
        return null;
      }).join();
      long[] plainCpu = new long[EVENTS];
      long[] pruneCpu = new long[EVENTS];
      long[] plainStatements = new long[EVENTS];
      long[] pruneStatements = new long[EVENTS];
      long[] plainTransaction = new long[EVENTS];
      long[] pruneTransaction = new long[EVENTS];
      int plain = 0;
      int pruned = 0;
      for (int i = 0; i < EVENTS; i++) {
        WorkCounts before = database.workCounts();
        WriterTimes timesBefore = database.writerTimes();
        long[] recorded = database.submitWrite(c -> {
          long cpu = THREADS.getCurrentThreadCpuTime();
          long id = LiveLog.record(c, "board-1", event, "2026-12-07T00:00:00Z");
          return new long[] {id, THREADS.getCurrentThreadCpuTime() - cpu};
        }).join();
        long statements = database.workCounts().minus(before).writeStatements();
        long transaction = database.writerTimes().minus(timesBefore).transactionCpuNanos();
        if (recorded[0] % LiveLog.PRUNE_EVERY == 0) {
          pruneCpu[pruned] = recorded[1];
          pruneTransaction[pruned] = transaction;
          pruneStatements[pruned++] = statements;
        } else {
          plainCpu[plain] = recorded[1];
          plainTransaction[plain] = transaction;
          plainStatements[plain++] = statements;
        }
      }
      long kept = database.submitRead(c -> {
        try (var s = c.prepareStatement("select count(*) from live_events"); var rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }).join();
      System.out.printf(Locale.ROOT, "%d events, one a transaction, past %d kept; %d events kept at the end"
          + " (load average %.2f)%n", EVENTS, LiveLog.KEEP, kept,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.printf(Locale.ROOT, "a write that records an event: %d statements, median %.1f us CPU recording"
          + " it, %.1f us CPU the whole transaction with its commit (%d writes)%n", median(plainStatements, plain),
          median(plainCpu, plain) / 1e3, median(plainTransaction, plain) / 1e3, plain);
      System.out.printf(Locale.ROOT, "the write that also prunes (1 in %d): %d statements, median %.1f us CPU"
          + " recording and pruning, %.1f us CPU the whole transaction (%d writes); spread over the events:"
          + " %.2f us an event%n", LiveLog.PRUNE_EVERY, median(pruneStatements, pruned),
          median(pruneCpu, pruned) / 1e3, median(pruneTransaction, pruned) / 1e3, pruned,
          (median(pruneTransaction, pruned) - median(plainTransaction, plain)) / 1e3 / LiveLog.PRUNE_EVERY);
    }
  }

  private static long median(long[] values, int count) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    return sorted[count / 2];
  }
}
