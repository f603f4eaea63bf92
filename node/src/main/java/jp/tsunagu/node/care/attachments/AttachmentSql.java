package jp.tsunagu.node.care.attachments;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.errors.CodedException;
import jp.tsunagu.node.care.timeline.PostSql;

/** The SQL of attachments. */
public final class AttachmentSql {

  private AttachmentSql() {}

  static void insert(Connection c, Attachment a, String now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into attachments (id, sha256, file_name, media_type, size,"
        + " thumbnail, uploaded_by, uploaded_at) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindFile(s, a);
      s.setString(8, now);
      s.executeUpdate();
    }
  }

  /** An attachment that arrived with a partner's post, tied to it at once. */
  public static void insertPosted(Connection c, Attachment a) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into attachments (id, sha256, file_name, media_type, size,"
        + " thumbnail, uploaded_by, uploaded_at, post_id) values (?, ?, ?, ?, ?, ?, ?,"
        + " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?) on conflict (id) do nothing")) {
      bindFile(s, a);
      s.setString(8, a.postId());
      s.executeUpdate();
    }
  }

  /** The first seven columns of both inserts: the file as uploaded and who uploaded it. */
  private static void bindFile(PreparedStatement s, Attachment a) throws SQLException {
    s.setString(1, a.id());
    s.setString(2, a.sha256());
    s.setString(3, a.fileName());
    s.setString(4, a.mediaType());
    s.setLong(5, a.size());
    s.setInt(6, a.thumbnail() ? 1 : 0);
    s.setString(7, a.uploadedBy());
  }

  /** Ties the uploader's own, not yet posted uploads to the post; anything else refuses the post. */
  public static void attach(Connection c, List<String> ids, String postId, String uploader) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update attachments set post_id = ? where id = ?"
        + " and uploaded_by = ? and post_id is null")) {
      for (String id : ids) {
        s.setString(1, postId);
        s.setString(2, id);
        s.setString(3, uploader);
        if (s.executeUpdate() != 1) {
          throw CodedException.invalid("care.attachment_unknown", "添付ファイルが見つかりません。もう一度添付してください。");
        }
      }
    }
  }

  public static Optional<Attachment> byId(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select id, sha256, file_name, media_type, size, thumbnail,"
        + " uploaded_by, post_id from attachments where id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Attachment(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getLong(5), rs.getInt(6) == 1, rs.getString(7), rs.getString(8))) : Optional.empty();
      }
    }
  }

  /**
   * The attachment if the user may download it: their own upload not yet posted, or on a post they
   * may see (as a member, a recipient of a direct post) that is not deleted.
   */
  static Optional<Attachment> downloadable(Connection c, String id, String userId) throws SQLException {
    Optional<Attachment> found = byId(c, id);
    if (found.isEmpty()) {
      return found;
    }
    Attachment a = found.get();
    if (a.postId() == null) {
      return a.uploadedBy().equals(userId) ? found : Optional.empty();
    }
    return PostSql.visible(c, a.postId(), userId).filter(p -> !p.post().deleted()).map(p -> a);
  }
}
