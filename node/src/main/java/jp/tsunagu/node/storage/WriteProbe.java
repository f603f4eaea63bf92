package jp.tsunagu.node.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * Whether the database takes writes again after a fault (a full disk): a write that needs room, made
 * while writes fail for the database's sake. Nothing else may write then: a node that is not ready gets
 * no requests, and its jobs write only when they have something to write, so without it a node would
 * stay not ready after the disk had room again. A 64 KiB row of {@code node_meta}, removed again in the
 * same transaction: its pages are written at the commit, so it commits only where a person's post or a
 * gateway's batch would (on a full disk it fails as they do); committed, it changed rows, and the writer
 * clears the fault. One at a time: callers while it runs share it.
 */
final class WriteProbe {

  /** The probe row's key; the row never outlives the probe's transaction. */
  static final String KEY = "write-probe";
  /** The probe row's size: the room one ordinary write of some size takes. */
  static final int BYTES = 64 * 1024;

  private final WriteQueue writes;
  private CompletableFuture<Void> running;

  WriteProbe(WriteQueue writes) {
    this.writes = writes;
  }

  /** The probe running now, or a new one; completes (never fails) once it committed or failed. */
  synchronized CompletableFuture<Void> run() {
    CompletableFuture<Void> probe = running;
    if (probe == null) {
      CompletableFuture<Void> started = writes.submit(WriteProbe::insertAndRemove).handle((done, failed) -> null);
      running = started;
      started.whenComplete((done, failed) -> finished(started));
      probe = started;
    }
    return probe;
  }

  private synchronized void finished(CompletableFuture<Void> probe) {
    if (running == probe) {
      running = null;
    }
  }

  private static Void insertAndRemove(Connection connection) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
            "insert into node_meta (key, value) values (?, hex(zeroblob(?)))");
        PreparedStatement delete = connection.prepareStatement("delete from node_meta where key = ?")) {
      insert.setString(1, KEY);
      insert.setInt(2, BYTES / 2);
      insert.executeUpdate();
      delete.setString(1, KEY);
      delete.executeUpdate();
    }
    return null;
  }
}
