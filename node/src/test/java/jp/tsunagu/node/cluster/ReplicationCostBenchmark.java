package jp.tsunagu.node.cluster;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.tsunagu.node.audit.AuditEvent;
import jp.tsunagu.node.audit.AuditLog;
import jp.tsunagu.node.config.NodeConfig;
import jp.tsunagu.node.storage.Database;
import jp.tsunagu.node.storage.WriterTimes;

/**
 * What replication itself costs in CPU, per write, on real database files of the node's schema and
 * without the network: a write shaped like a post (a wide row, its idempotency key with the kept
 * answer, its audit record) on one database alone, then on a leader (capture and the batch's making),
 * the batch's message made and read, and the batch applied on a follower (capture installed there too,
 * as on every instance). CPU is the writer thread's own time in its transactions (commit included) and
 * the calling thread's for the message, so a busy machine changes it far less than wall-clock time.
 * The follower's apply is measured as it comes (one batch a transaction) and with two and four batches
 * in one transaction, as a follower applies the batches that reach it together; each with the share of
 * its commit.
 * {@code -Dbench.replication.writes=N} (2,000 by default).
 */
public final class ReplicationCostBenchmark {

  private static final int WRITES = Integer.getInteger("bench.replication.writes", 2_000);
  private static final int WARM_UP = WRITES / 4;
  private static final NodeConfig.Storage SETTINGS = new NodeConfig.Storage(2, Duration.ofSeconds(10), 256);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String[] TABLES = {
      "create table bench_posts (id text primary key, board_id text not null, seq integer not null, author_id text,"
          + " author_name text, author_profession text, author_facility text, category text, kind text, body text,"
          + " form_type text, form_data text, direct integer, status text, version integer, created_at text,"
          + " edited_at text, sync_state text, comment_count integer, attachment_count integer, read_count integer)",
      "create table bench_keys (key text primary key, owner text, method text, path text, body_hash text,"
          + " status integer, answer text, created_at text) without rowid"};

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tsunagu-replication-cost");
    System.out.printf(Locale.ROOT, "replication cost: %d writes (after %d to warm up), load average %s%n", WRITES,
        WARM_UP, Files.readString(Path.of("/proc/loadavg")).trim());
    double alone;
    try (Database single = open(dir.resolve("single.db"))) {
      alone = perWrite(single);
    }
    List<ReplicationBatch> batches = new ArrayList<>();
    double leaderCpu;
    try (Database leader = open(dir.resolve("leader.db"))) {
      leader.submitWrite(ChangeCapture::install).get();
      BatchWriter writer = new BatchWriter(() -> 1, leader.expectedSchemaVersion());
      leader.acknowledgingCommitHook("replication", writer::gather, batch -> {
        if (batch != null) {
          batches.add(batch);
        }
        return null;
      });
      leaderCpu = perWrite(leader);
    }
    // The message made once per batch for each of two followers (as the old form was made per send), and read once.
    long messageCpu = 0;
    List<ReplicationBatch> received = new ArrayList<>();
    for (ReplicationBatch batch : batches) {
      long started = THREADS.getCurrentThreadCpuTime();
      received.add(carry(batch));
      messageCpu += THREADS.getCurrentThreadCpuTime() - started;
    }
    double followerCpu;
    try (Database follower = open(dir.resolve("follower.db"))) {
      follower.submitWrite(ChangeCapture::install).get();
      BatchWriter refusing = new BatchWriter(() -> 0, follower.expectedSchemaVersion());
      follower.acknowledgingCommitHook("replication", refusing::gather, batch -> null);
      BatchApplier applier = new BatchApplier(follower.expectedSchemaVersion());
      WriterTimes before = null;
      int warmUpBatches = received.size() * WARM_UP / (WRITES + WARM_UP);
      for (int i = 0; i < received.size(); i++) {
        if (i == warmUpBatches) {
          before = follower.writerTimes();
        }
        ReplicationBatch batch = received.get(i);
        follower.submitWrite(c -> applier.apply(c, batch)).get();
      }
      WriterTimes spent = follower.writerTimes().minus(before);
      followerCpu = spent.transactionCpuNanos() / 1e6 / (received.size() - warmUpBatches);
      System.out.printf(Locale.ROOT, "follower, one batch a transaction: CPU %.3f ms a batch, of which %.3f in the commit%n",
          followerCpu, spent.commitCpuNanos() / 1e6 / (received.size() - warmUpBatches));
    }
    for (int together : new int[] {2, 4}) {
      try (Database grouped = open(dir.resolve("grouped-" + together + ".db"))) {
        grouped.submitWrite(ChangeCapture::install).get();
        BatchWriter refusing = new BatchWriter(() -> 0, grouped.expectedSchemaVersion());
        grouped.acknowledgingCommitHook("replication", refusing::gather, batch -> null);
        BatchApplier applier = new BatchApplier(grouped.expectedSchemaVersion());
        WriterTimes before = null;
        int warmUpBatches = received.size() * WARM_UP / (WRITES + WARM_UP);
        warmUpBatches -= warmUpBatches % together;
        int counted = 0;
        for (int i = 0; i + together <= received.size(); i += together) {
          if (i == warmUpBatches) {
            before = grouped.writerTimes();
          }
          List<ReplicationBatch> page = received.subList(i, i + together);
          grouped.submitWrite(c -> {
            for (ReplicationBatch batch : page) {
              applier.apply(c, batch);
            }
            return null;
          }).get();
          if (before != null) {
            counted += together;
          }
        }
        WriterTimes spent = grouped.writerTimes().minus(before);
        System.out.printf(Locale.ROOT, "follower, %d batches a transaction: CPU %.3f ms a batch, of which %.3f in the commit%n",
            together, spent.transactionCpuNanos() / 1e6 / counted, spent.commitCpuNanos() / 1e6 / counted);
      }
    }
    double message = messageCpu / 1e6 / batches.size();
    double batchesPerWrite = batches.size() / (double) (WRITES + WARM_UP);
    System.out.printf(Locale.ROOT, "one database alone: writer CPU %.3f ms a write%n", alone);
    System.out.printf(Locale.ROOT, "leader: writer CPU %.3f ms a write (+%.3f for capture and the batch)%n", leaderCpu,
        leaderCpu - alone);
    System.out.printf(Locale.ROOT, "the batch's message made for two followers and read once: %.3f ms a batch"
        + " (%.1f batches a write: the post with its key, then its audit record)%n", message, batchesPerWrite);
    System.out.printf(Locale.ROOT, "follower: writer CPU %.3f ms a batch applied, %.3f ms a write%n", followerCpu,
        followerCpu * batchesPerWrite);
    System.out.printf(Locale.ROOT, "replication's own CPU a write, leader and two followers: %.3f ms%n",
        leaderCpu - alone + batchesPerWrite * (message + 2 * followerCpu));
    System.exit(0);
  }

  private static Database open(Path file) throws Exception {
    Database database = Database.open(file, SETTINGS);
    database.submitWrite(c -> {
      ReplicaDumps.execute(c, TABLES);
      return null;
    }).get();
    return database;
  }

  /** Writes one at a time; the writer's CPU per write after the warm-up. */
  private static double perWrite(Database database) throws Exception {
    AuditLog audit = new AuditLog(database, Clock.systemUTC());
    WriterTimes before = null;
    for (int i = 0; i < WRITES + WARM_UP; i++) {
      if (i == WARM_UP) {
        before = database.writerTimes();
      }
      int n = i;
      database.submitWrite(c -> {
        try (PreparedStatement post = c.prepareStatement("insert into bench_posts values (?, 'board-1', ?, 'user-1',"
            + " '伊那 太郎', 'doctor', '伊那中央クリニック', '申し送り', 'post', ?, null, null, 0, 'active', 1,"
            + " '2026-12-07T03:00:00Z', null, 'local', 0, 0, 0)")) {
          post.setString(1, "post-" + n);
          post.setInt(2, n);
          post.setString(3, "計測 " + n + " 本日の訪問で血圧 132/84、食事は半分ほど。夜間の見守りをお願いします。");
          post.executeUpdate();
        }
        try (PreparedStatement key = c.prepareStatement("insert into bench_keys values (?, 'user-1', 'POST',"
            + " '/api/v1/patients/p/posts', 'hash', 201, ?, '2026-12-07T03:00:00Z')")) {
          key.setString(1, "key-" + n);
          key.setString(2, new JsonObject().put("id", "post-" + n).put("seq", n).put("body", "計測 " + n)
              .put("category", "申し送り").put("authorName", "伊那 太郎").encode());
          key.executeUpdate();
        }
        return null;
      }).get();
      audit.record(AuditEvent.success("user-1", "care.post_created", "post/" + n, new JsonObject()))
          .toCompletionStage().toCompletableFuture().get();
    }
    WriterTimes spent = database.writerTimes().minus(before);
    return spent.transactionCpuNanos() / 1e6 / WRITES;
  }

  /**
   * The batch as two followers' messages and one follower's reading of it: the form this build
   * ships ({@code toWire}, made once), or the JSON object of builds before it (encoded per send).
   */
  private static ReplicationBatch carry(ReplicationBatch batch) throws Exception {
    Method toWire = wire();
    if (toWire != null) {
      Object message = toWire.invoke(batch, "leader");
      Method fromWire = ReplicationBatch.class.getDeclaredMethod("fromWire", io.vertx.core.buffer.Buffer.class);
      fromWire.setAccessible(true);
      Object received = fromWire.invoke(null, message);
      ReplicationBatch read = firstOf(received);
      read.changes();
      return read;
    }
    JsonObject json = batch.toJson().put("leader", "leader");
    json.toBuffer();
    io.vertx.core.buffer.Buffer sent = json.toBuffer();
    return ReplicationBatch.fromJson(new JsonObject(sent));
  }

  /** The batch a follower read from a message of one batch (as one, or as the first of a list). */
  private static ReplicationBatch firstOf(Object received) throws Exception {
    for (Method method : received.getClass().getDeclaredMethods()) {
      method.setAccessible(true);
      if (method.getParameterCount() == 0 && method.getName().equals("batch")) {
        return (ReplicationBatch) method.invoke(received);
      }
      if (method.getParameterCount() == 0 && method.getName().equals("batches")) {
        return (ReplicationBatch) ((List<?>) method.invoke(received)).get(0);
      }
    }
    throw new IllegalStateException("a received message holds no batch");
  }

  private static Method wire() {
    try {
      return ReplicationBatch.class.getMethod("toWire", String.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
