package jp.tsunagu.node.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/** SQLite's plan for a query on a database migrated to the current schema, as the lines EXPLAIN QUERY PLAN gives. */
public final class QueryPlans {

  private QueryPlans() {}

  /** A real database file with every migration applied. */
  public static String migrated(Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("plans.db");
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").table("schema_history")
        .load().migrate();
    return url;
  }

  /** The plan's detail lines; every parameter bound to a text, as the figures bind instants and ids. */
  public static List<String> plan(String url, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s = c.prepareStatement("explain query plan " + sql)) {
      for (int i = 1; i <= s.getParameterMetaData().getParameterCount(); i++) {
        s.setString(i, "2026-12-01T00:00:00Z");
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString("detail"));
        }
      }
    }
    return lines;
  }
}
