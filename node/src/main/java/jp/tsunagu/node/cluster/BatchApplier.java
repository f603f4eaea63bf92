package jp.tsunagu.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jp.tsunagu.node.storage.Database;

/**
 * The follower's side of replication: applies one batch as one piece of work of the follower's
 * writer, so the batch commits whole or not at all. Before touching a row it checks the batch: a
 * fencing token lower than the highest this database has seen is refused (a deposed leader's late
 * batch), a batch already applied is skipped (batches may arrive twice while a follower catches up),
 * a batch after a missing one is refused, and so is a batch written under another schema.
 *
 * <p>Changes are applied in the order they happened on the leader, each as "make the row so": an
 * insert or update sets every column of the row named by its key (updating in place when the row is
 * there, so no delete cascades) and inserts it otherwise. The follower's own triggers (the features'
 * touch tables, activity flags) fire as they did on the leader and do the same idempotent writes,
 * which the leader's captured rows then set to exactly the leader's values. Confined to the writer
 * thread: the table descriptions it keeps are read there.
 */
public final class BatchApplier {

  /** What became of a batch. */
  public enum Outcome { APPLIED, ALREADY_APPLIED }

  private final String schemaVersion;
  private final Map<String, AppliedTable> tables = new HashMap<>();
  /** Whether the database has the table that pauses capture (once it has, it keeps it). */
  private boolean capturePausable;

  public BatchApplier(String schemaVersion) {
    this.schemaVersion = schemaVersion;
  }

  /**
   * Applies the batch as one write of {@code database}; a batch refused as {@code cluster.diverged}
   * marks the database diverged in a write of its own (the batch's transaction is rolled back).
   */
  public Future<Outcome> applyOn(Database database, ReplicationBatch batch) {
    return applyOn(database, batch, (began, ended) -> { });
  }

  /** {@link #applyOn(Database, ReplicationBatch)}, telling {@code timing} when the writer began and ended the batch's work. */
  Future<Outcome> applyOn(Database database, ReplicationBatch batch, Timing timing) {
    // Unheld: the follower's writer commits the batches it has as soon as their work is done, rather
    // than waiting for more; the leader's next batches come only after its next commit.
    return markingDiverged(database, database.writeUnheld(c -> {
      long began = System.nanoTime();
      Outcome outcome = apply(c, batch);
      timing.applied(began, System.nanoTime());
      return outcome;
    }));
  }

  /** When, on the writer thread and in {@link System#nanoTime}, a batch's work began and ended (its commit not included). */
  interface Timing {
    void applied(long began, long ended);
  }

  /**
   * Applies batches that follow one another (a page fetched from the leader) as one write of
   * {@code database}: a follower far behind then commits once per page, not once per batch, and
   * catches up faster than the leader writes. Answers the tables the batches applied changed (none
   * when every batch was there already); a refused batch leaves the whole page unapplied and, when
   * refused as {@code cluster.diverged}, marks the database as {@link #applyOn} does.
   */
  public Future<Set<String>> applyAllOn(Database database, List<ReplicationBatch> batches) {
    return markingDiverged(database, database.write(c -> {
      Set<String> changed = new HashSet<>();
      for (ReplicationBatch batch : batches) {
        if (apply(c, batch) == Outcome.APPLIED) {
          changed.addAll(tablesOf(batch));
        }
      }
      return changed;
    }));
  }

  /** The tables a batch changes, whose in-memory values are read again once it is committed. */
  public static Set<String> tablesOf(ReplicationBatch batch) {
    Set<String> tables = new HashSet<>();
    batch.changes().forEach(change -> tables.add(((JsonObject) change).getString("t")));
    return tables;
  }

  private static <T> Future<T> markingDiverged(Database database, Future<T> applied) {
    return applied.recover(e -> {
      if (e instanceof ReplicationRefused refused && refused.code().equals(BatchChain.DIVERGED)) {
        return database.write(c -> BatchChain.markDiverged(c, refused.getMessage()))
            .transform(marked -> Future.<T>failedFuture(e));
      }
      return Future.failedFuture(e);
    });
  }

  public Outcome apply(Connection connection, ReplicationBatch batch) throws SQLException {
    ReplicationPosition.Head position = ReplicationPosition.head(connection);
    if (position.diverged() != null) {
      // Never a newer batch on top of batches the leader does not have: the database must be rebuilt.
      throw new ReplicationRefused(BatchChain.DIVERGED, "this database diverged from the leader's and applies"
          + " nothing more: " + position.diverged());
    }
    if (batch.token() < position.token()) {
      throw new ReplicationRefused("cluster.stale_token", "batch " + batch.batchId() + " carries fencing token "
          + batch.token() + ", lower than " + position.token() + " already seen: its leader has been deposed");
    }
    if (batch.batchId() <= position.batchId()) {
      // A batch number this database already holds, but from a leader elected after every batch it
      // has seen: what it holds under that number was committed by a deposed leader (this instance,
      // or a leader that reached only it) and never replicated. Skipping it would leave this database
      // silently different from the leader's; applying over it would too. It must be rebuilt.
      if (batch.token() > position.token()) {
        throw new ReplicationRefused(BatchChain.DIVERGED, "batch " + batch.batchId() + " of the leader with token "
            + batch.token() + " is one this database holds from an earlier leader (highest token seen "
            + position.token() + "): it committed batches that were never replicated; restart this instance: it"
            + " starts from the leader's snapshot");
      }
      return Outcome.ALREADY_APPLIED;
    }
    if (batch.batchId() != position.batchId() + 1) {
      throw new ReplicationRefused("cluster.batch_gap", "batch " + batch.batchId() + " follows batch "
          + position.batchId() + " here: the batches between are missing");
    }
    if (!batch.schemaVersion().equals(schemaVersion)) {
      throw new ReplicationRefused("cluster.schema_mismatch", "batch " + batch.batchId() + " was written under schema "
          + batch.schemaVersion() + ", this instance has " + schemaVersion);
    }
    if (!batch.prevDigest().equals(position.digest())) {
      // The leader's batch does not follow this database's last one: this instance holds a batch
      // (written when it led) that the leader's history does not contain, and the leader wrote past it.
      throw new ReplicationRefused(BatchChain.DIVERGED, "batch " + batch.batchId() + " of the leader with token "
          + batch.token() + " does not follow batch " + position.batchId() + " held here: this database holds"
          + " batches that were never replicated and must be rebuilt from the leader's");
    }
    // The leader's changes arrive in the order its triggers saw them, and a cascade shows a child's
    // new reference before the parent's own change: foreign keys are checked at commit, when the
    // batch is whole (SQLite ends this at the end of the transaction by itself).
    try (PreparedStatement statement = connection.prepareStatement("pragma defer_foreign_keys = on")) {
      statement.execute();
    }
    // This instance's capture triggers would record the batch's rows as they are applied, though they
    // are the leader's batch and not a new one: capture is paused meanwhile. Rows a write earlier in
    // the same transaction recorded stay, so the commit hook still refuses that write (a follower never
    // commits a replicated row of its own; see WriteQueue, which then commits each write alone).
    boolean paused = pauseCapture(connection);
    JsonArray changes = batch.changes();
    for (int i = 0; i < changes.size(); i++) {
      applyChange(connection, change(changes, i));
    }
    if (paused) {
      try (PreparedStatement statement = connection.prepareStatement("delete from " + ChangeCapture.APPLYING)) {
        statement.executeUpdate();
      }
    }
    BatchWriter.keep(connection, batch, Math.max(batch.token(), position.token()));
    return Outcome.APPLIED;
  }

  /**
   * Pauses this database's capture triggers for the rest of the batch; false where there are none
   * (capture never installed: nothing to pause).
   */
  private boolean pauseCapture(Connection connection) throws SQLException {
    if (!capturePausable) {
      try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
          "select 1 from sqlite_master where type = 'table' and name = '" + ChangeCapture.APPLYING + "'")) {
        capturePausable = rs.next();
      }
      if (!capturePausable) {
        return false;
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "insert into " + ChangeCapture.APPLYING + " (applying) values (1)")) {
      statement.executeUpdate();
    }
    return true;
  }

  private static JsonObject change(JsonArray changes, int index) {
    if (!(changes.getValue(index) instanceof JsonObject change)) {
      throw new ReplicationRefused("cluster.bad_batch", "change " + index + " is not an object");
    }
    return change;
  }

  private void applyChange(Connection connection, JsonObject change) throws SQLException {
    if (change.getValue("t") instanceof String name && CapturedTable.leftOutSince(name)) {
      // Batches kept from before touch tables (and node_meta, the write probe's) were left out of
      // replication carry them; this instance's own triggers fill its touch tables as the batch's rows
      // are applied, and its node_meta is its own.
      return;
    }
    AppliedTable table = table(connection, change.getValue("t"));
    String op = change.getValue("op") instanceof String text ? text : "";
    switch (op) {
      case "i" -> insertRow(connection, table, key(table.table(), change, "nk"), values(table.table(), change));
      case "u" -> makeRow(connection, table, key(table.table(), change, "ok"), key(table.table(), change, "nk"),
          values(table.table(), change));
      case "d" -> delete(connection, table, key(table.table(), change, "ok"));
      default -> throw new ReplicationRefused("cluster.bad_batch", "unknown operation '" + op + "'");
    }
  }

  private AppliedTable table(Connection connection, Object name) throws SQLException {
    if (!(name instanceof String text)) {
      throw new ReplicationRefused("cluster.bad_batch", "a change names no table");
    }
    AppliedTable table = tables.get(text);
    if (table == null) {
      CapturedTable captured = CapturedTable.named(connection, text);
      if (captured == null) {
        throw new ReplicationRefused("cluster.bad_batch", "no replicated table '" + text + "'");
      }
      table = AppliedTable.of(captured);
      tables.put(text, table);
    }
    return table;
  }

  private static JsonArray key(CapturedTable table, JsonObject change, String field) {
    JsonArray key = change.getValue(field) instanceof JsonArray array ? array : null;
    if (key == null || key.size() != table.keyColumns().size()) {
      throw new ReplicationRefused("cluster.bad_batch", "a change of " + table.name() + " lacks its key");
    }
    return key;
  }

  private static JsonArray values(CapturedTable table, JsonObject change) {
    JsonArray values = change.getValue("v") instanceof JsonArray array ? array : null;
    if (values == null || values.size() != table.columns().size()) {
      throw new ReplicationRefused("cluster.bad_batch", "a change of " + table.name() + " has "
          + (values == null ? 0 : values.size()) + " values for " + table.columns().size() + " columns");
    }
    return values;
  }

  /**
   * A row the leader inserted: inserted here in one statement, as it nearly always is absent. When it
   * is there already (this instance's own triggers made it as they applied an earlier change of the
   * batch) or the insert is refused, it is made as an update is.
   */
  private static void insertRow(Connection connection, AppliedTable table, JsonArray key, JsonArray values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(table.insertIfAbsent())) {
      TypedValues.bind(statement, 1, table.row(key, values));
      if (statement.executeUpdate() > 0) {
        return;
      }
    }
    makeRow(connection, table, key, key, values);
  }

  /** Sets the row now named {@code oldKey} to the new key and values; inserts it when there is none. */
  private static void makeRow(Connection connection, AppliedTable table, JsonArray oldKey, JsonArray newKey,
      JsonArray values) throws SQLException {
    JsonArray row = table.row(newKey, values);
    try (PreparedStatement statement = connection.prepareStatement(table.update())) {
      int next = TypedValues.bind(statement, 1, row);
      TypedValues.bind(statement, next, oldKey);
      if (statement.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(table.insertOrReplace())) {
      TypedValues.bind(statement, 1, row);
      statement.executeUpdate();
    }
  }

  private static void delete(Connection connection, AppliedTable table, JsonArray key) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(table.delete())) {
      TypedValues.bind(statement, 1, key);
      statement.executeUpdate();
    }
  }

  /**
   * A replicated table with the statements that apply its changes, made once per table rather than
   * for every row (the writer's statement cache then finds them by the same text each time).
   */
  private record AppliedTable(CapturedTable table, String update, String insertIfAbsent, String insertOrReplace,
      String delete) {

    static AppliedTable of(CapturedTable table) {
      String name = CapturedTable.quoted(table.name());
      String columns = table.copiedColumns().stream().map(CapturedTable::quoted).collect(Collectors.joining(", "));
      String marks = table.copiedColumns().stream().map(c -> "?").collect(Collectors.joining(", "));
      return new AppliedTable(table,
          "update " + name + " set (" + columns + ") = (" + marks + ") where " + where(table),
          "insert or ignore into " + name + " (" + columns + ") values (" + marks + ")",
          "insert or replace into " + name + " (" + columns + ") values (" + marks + ")",
          "delete from " + name + " where " + where(table));
    }

    /** The values written: the rowid first where the table has one. */
    JsonArray row(JsonArray key, JsonArray values) {
      return table.withoutRowid() ? values : new JsonArray().add(key.getValue(0)).addAll(values);
    }
  }

  private static String where(CapturedTable table) {
    return table.keyColumns().stream().map(c -> CapturedTable.quoted(c) + " = ?").collect(Collectors.joining(" and "));
  }
}
