package jp.tsunagu.node.care.forms;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The SQL of 下書き保存: one draft per author, patient and form (table {@code care_form_drafts}). */
final class FormDrafts {

  /** A saved draft: the answers so far and when they were saved. */
  record Draft(JsonObject values, String savedAt) {
    JsonObject toJson() {
      return new JsonObject().put("values", values).put("savedAt", savedAt);
    }
  }

  private FormDrafts() {}

  static Optional<Draft> find(Connection c, String authorId, String boardId, String templateId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select values_json, saved_at from care_form_drafts"
        + " where author_id = ? and board_id = ? and template_id = ?")) {
      s.setString(1, authorId);
      s.setString(2, boardId);
      s.setString(3, templateId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Draft(new JsonObject(r.getString(1)), r.getString(2))) : Optional.empty();
      }
    }
  }

  static void save(Connection c, String authorId, String boardId, String templateId, JsonObject values, String now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into care_form_drafts (author_id, board_id, template_id,"
        + " values_json, saved_at) values (?, ?, ?, ?, ?) on conflict (author_id, board_id, template_id)"
        + " do update set values_json = excluded.values_json, saved_at = excluded.saved_at")) {
      s.setString(1, authorId);
      s.setString(2, boardId);
      s.setString(3, templateId);
      s.setString(4, values.encode());
      s.setString(5, now);
      s.executeUpdate();
    }
  }

  static void delete(Connection c, String authorId, String boardId, String templateId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from care_form_drafts"
        + " where author_id = ? and board_id = ? and template_id = ?")) {
      s.setString(1, authorId);
      s.setString(2, boardId);
      s.setString(3, templateId);
      s.executeUpdate();
    }
  }
}
