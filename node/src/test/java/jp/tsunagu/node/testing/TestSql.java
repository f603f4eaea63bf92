package jp.tsunagu.node.testing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagu.node.TsunaguNode;

/** Reads a node's database the way tests check what was (or was not) stored. */
public final class TestSql {

  private TestSql() {}

  /** The single number a {@code select count(*) …} answers, with its parameters bound in order. */
  public static long count(TsunaguNode node, String sql, Object... parameters) {
    return node.services().database().submitRead(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < parameters.length; i++) {
          s.setObject(i + 1, parameters[i]);
        }
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }).join();
  }

  /**
   * The number of rows of every table but the audit log (and Flyway's history), by table name: a
   * refused request must leave this map as it was, whatever else it writes to the audit log.
   */
  public static Map<String, Long> rowCounts(TsunaguNode node) {
    awaitSigned(node);
    return node.services().database().submitRead(c -> {
      List<String> tables = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("select name from sqlite_master where type = 'table'"
          + " and name not like 'sqlite_%' and name not in ('audit_log', 'flyway_schema_history')")) {
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      Map<String, Long> counts = new TreeMap<>();
      for (String table : tables) {
        try (PreparedStatement s = c.prepareStatement("select count(*) from \"" + table + "\"")) {
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            counts.put(table, rs.getLong(1));
          }
        }
      }
      return counts;
    }).join();
  }

  /**
   * Events are numbered in their write and signed just after it (team sync's signer), so for a moment
   * after any write a row waits in the unsigned tables. Counts taken to show that "nothing changed"
   * must not catch that moment: wait, bounded, until the signer has caught up.
   */
  private static void awaitSigned(TsunaguNode node) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      long waiting = node.services().database().submitRead(c -> {
        long sum = 0;
        for (String table : List.of("team_events_unsigned", "sync_outbox_unsigned")) {
          try (PreparedStatement s = c.prepareStatement("select count(*) from " + table)) {
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              sum += rs.getLong(1);
            }
          }
        }
        return sum;
      }).join();
      if (waiting == 0) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
