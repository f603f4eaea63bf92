package jp.tsunagu.node.sensors;

import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which sequences of a device are stored, as runs without a gap ({@code sensor_sequence_runs}, V280): the
 * idempotency of (device, sequence). Readings are keyed by their minute first, so the table's key no longer
 * finds a device's sequence; a device's runs do, one row while its sequences come in order (a gap, a reading
 * still to come out of order, is a second run until it is filled). The runs of a batch's devices are read
 * once in its transaction, a reading is new when no run holds its sequence, and only the runs that changed
 * are written back: for a live batch, one row a device, the devices of a gateway side by side.
 */
final class SequenceRuns {

  private static final String READ = "select device_key, first_seq, last_seq, last_at_ms from sensor_sequence_runs"
      + " where device_key in (select value from json_each(?))";
  private static final String DELETE = "delete from sensor_sequence_runs where (device_key, first_seq) in"
      + " (select value ->> 0, value ->> 1 from json_each(?))";
  private static final String UPSERT = "insert into sensor_sequence_runs (device_key, first_seq, last_seq, last_at_ms)"
      + " select value ->> 0, value ->> 1, value ->> 2, value ->> 3 from json_each(?) where true"
      + " on conflict (device_key, first_seq) do update set last_seq = excluded.last_seq,"
      + " last_at_ms = excluded.last_at_ms";

  /** A run: sequences {@code first} to {@code last}, the newest reading among them at {@code lastAtMs}. */
  private record Run(long first, long last, long lastAtMs) {}

  /** Each device's runs by their first sequence, as read. */
  private final Map<Long, TreeMap<Long, Run>> read = new HashMap<>();
  /** Each device's runs as this batch leaves them. */
  private final Map<Long, TreeMap<Long, Run>> now = new HashMap<>();

  private SequenceRuns() {}

  /** The runs of these devices, read in the writer's transaction. */
  static SequenceRuns of(Connection c, Collection<Long> deviceKeys) throws SQLException {
    SequenceRuns runs = new SequenceRuns();
    for (long key : deviceKeys) {
      runs.read.put(key, new TreeMap<>());
    }
    try (PreparedStatement s = c.prepareStatement(READ)) {
      s.setString(1, new JsonArray(new java.util.ArrayList<>(deviceKeys)).encode());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          runs.read.get(rs.getLong(1)).put(rs.getLong(2), new Run(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    runs.read.forEach((key, device) -> runs.now.put(key, new TreeMap<>(device)));
    return runs;
  }

  /**
   * Takes the sequence when the device has not stored it yet.
   *
   * @return whether it was new (and is now held)
   */
  boolean take(long deviceKey, long sequence, long atMs) {
    TreeMap<Long, Run> runs = now.get(deviceKey);
    Map.Entry<Long, Run> below = runs.floorEntry(sequence);
    if (below != null && below.getValue().last() >= sequence) {
      return false;
    }
    long first = sequence;
    long last = sequence;
    long lastAt = atMs;
    if (below != null && below.getValue().last() == sequence - 1) {
      first = below.getValue().first();
      lastAt = Math.max(lastAt, below.getValue().lastAtMs());
      runs.remove(below.getKey());
    }
    Run above = runs.get(sequence + 1);
    if (above != null) {
      last = above.last();
      lastAt = Math.max(lastAt, above.lastAtMs());
      runs.remove(above.first());
    }
    runs.put(first, new Run(first, last, lastAt));
    return true;
  }

  /** Writes back the runs that changed: two statements at most, however many devices. */
  void write(Connection c) throws SQLException {
    JsonArray gone = new JsonArray();
    JsonArray changed = new JsonArray();
    now.forEach((key, runs) -> {
      TreeMap<Long, Run> before = read.get(key);
      before.forEach((first, run) -> {
        if (!runs.containsKey(first)) {
          gone.add(new JsonArray().add(key).add(first));
        }
      });
      runs.forEach((first, run) -> {
        if (!Objects.equals(before.get(first), run)) {
          changed.add(new JsonArray().add(key).add(run.first()).add(run.last()).add(run.lastAtMs()));
        }
      });
    });
    execute(c, DELETE, gone);
    execute(c, UPSERT, changed);
  }

  private static void execute(Connection c, String sql, JsonArray rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, rows.encode());
      s.executeUpdate();
    }
  }
}
