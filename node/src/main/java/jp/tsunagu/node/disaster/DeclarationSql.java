package jp.tsunagu.node.disaster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Declared disasters (災害モード), as plain SQL. */
final class DeclarationSql {

  /** A declaration; {@code districts} empty means the whole area of the node. */
  record Declaration(String id, String kind, List<String> districts, String startedAt, String declaredBy,
      String declaredAt, String endedAt) {

    boolean covers(String district) {
      return districts.isEmpty() || districts.contains(district);
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("kind", kind).put("districts", new JsonArray(districts))
          .put("wholeArea", districts.isEmpty()).put("startedAt", startedAt).put("declaredAt", declaredAt)
          .put("endedAt", endedAt);
    }
  }

  private DeclarationSql() {}

  static Optional<Declaration> open(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, kind, districts, started_at, declared_by, declared_at,"
        + " ended_at from disaster_declarations where ended_at is null")) {
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        List<String> districts = Arrays.stream(rs.getString(3).split(",")).filter(d -> !d.isEmpty()).toList();
        return Optional.of(new Declaration(rs.getString(1), rs.getString(2), districts, rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7)));
      }
    }
  }

  static void insert(Connection c, Declaration d) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into disaster_declarations (id, kind, districts, started_at,"
        + " declared_by, declared_at) values (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, d.id());
      s.setString(2, d.kind());
      s.setString(3, String.join(",", d.districts()));
      s.setString(4, d.startedAt());
      s.setString(5, d.declaredBy());
      s.setString(6, d.declaredAt());
      s.executeUpdate();
    }
  }

  static void end(Connection c, String id, String by, String at) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "update disaster_declarations set ended_by = ?, ended_at = ? where id = ? and ended_at is null")) {
      s.setString(1, by);
      s.setString(2, at);
      s.setString(3, id);
      s.executeUpdate();
    }
  }
}
