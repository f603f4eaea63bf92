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
}
