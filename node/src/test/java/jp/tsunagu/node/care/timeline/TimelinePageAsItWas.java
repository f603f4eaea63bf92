package jp.tsunagu.node.care.timeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.tsunagu.node.care.teams.Places;

/**
 * The timeline page as {@link TimelinePage} read it before its details were folded into its statement
 * and its JSON written straight from the rows: the page statement, then up to three statements for
 * the attachments, comments (with their authors' places joined) and recipients of the posts that have
 * any, a record per post and maps of details, then the JSON. Kept as the baseline the new page must
 * equal byte for byte ({@code TimelinePageTest}) and be measured against ({@link TimelinePageCosts}).
 */
final class TimelinePageAsItWas {

  private static final JsonFactory JSON = new JsonFactory();
  private static final String PAGE = "select " + PostSql.COLUMNS + ", p.read_count,"
      + " exists (select 1 from post_reads r indexed by post_reads_user where r.user_id = ? and r.post_id = p.id),"
      + " p.attachment_count > 0, p.comment_count > 0"
      + " from posts p where p.board_id = ? and p.seq < ? and " + PostSql.VISIBLE;

  /** One post of the page with what the page statement read beside it. */
  private record Row(Post post, int readCount, boolean readByMe, boolean attachments, boolean comments) {}

  private TimelinePageAsItWas() {}

  /**
   * The page below {@code beforeSeq} for the user, of the posts filed under {@code categories} (all if
   * empty), with the authors' places from {@code authors} (taken before the read began).
   */
  static Buffer read(Connection c, String boardId, String userId, long beforeSeq, List<String> categories,
      AuthorPlaces.Reading authors) throws SQLException {
    List<Row> rows = rows(c, boardId, userId, beforeSeq, categories);
    Map<String, AuthorPlaces.Place> places = new HashMap<>();
    for (Row row : rows) {
      places.put(row.post().authorId(), authors.of(c, row.post().authorId()));
    }
    Map<String, List<Object[]>> attachments = details(c, rows, Row::attachments,
        "select post_id, id, file_name, media_type, size, thumbnail from attachments where post_id in (%s)"
            + " order by uploaded_at", rs -> new Object[] {rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getLong(5), rs.getInt(6) == 1});
    Map<String, List<Object[]>> comments = details(c, rows, Row::comments,
        "select m.post_id, m.id, m.author_id, m.author_name, m.author_profession, m.author_facility, m.body,"
            + " m.created_at, f.municipality_code, u.home_node from comments m left join users u on u.id = m.author_id"
            + " left join facilities f on f.id = u.facility_id where m.post_id in (%s) order by m.created_at",
        rs -> new Object[] {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            Places.municipality(rs.getString(9)), rs.getString(10), rs.getString(7), rs.getString(8)});
    Map<String, List<Object[]>> recipients = details(c, rows, row -> row.post().direct(),
        "select r.post_id, u.family_name || ' ' || u.given_name, coalesce(f.name, u.remote_facility, ''),"
            + " f.municipality_code, u.home_node from post_recipients r join users u on u.id = r.user_id"
            + " left join facilities f on f.id = u.facility_id where r.post_id in (%s)"
            + " order by u.family_kana, u.given_kana, u.id",
        rs -> new Object[] {rs.getString(2), rs.getString(3), Places.municipality(rs.getString(4)),
            rs.getString(5)});
    return write(rows, places, attachments, comments, recipients);
  }

  private static List<Row> rows(Connection c, String boardId, String userId, long beforeSeq, List<String> categories)
      throws SQLException {
    String filter = categories.isEmpty() ? ""
        : " and p.category in (" + PostSql.placeholders(categories.size()) + ")";
    List<Row> rows = new ArrayList<>(PostSql.PAGE);
    try (PreparedStatement s = c.prepareStatement(PAGE + filter + " order by p.seq desc limit " + PostSql.PAGE)) {
      s.setString(1, userId);
      s.setString(2, boardId);
      s.setLong(3, beforeSeq);
      s.setString(4, userId);
      for (int i = 0; i < categories.size(); i++) {
        s.setString(5 + i, categories.get(i));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Post post = PostSql.post(rs);
          rows.add(new Row(post, rs.getInt(19), userId.equals(post.authorId()) || rs.getInt(20) == 1,
              rs.getInt(21) == 1, rs.getInt(22) == 1));
        }
      }
    }
    return rows;
  }

  @FunctionalInterface
  private interface Values {
    Object[] of(ResultSet rs) throws SQLException;
  }

  /**
   * The rows of one detail query for the posts that {@code has} picks, by post id; none is run when
   * no post has any. The ids are padded to a full page so that the statement's text, and with it
   * the prepared statement kept by the storage layer, is always the same.
   */
  private static Map<String, List<Object[]>> details(Connection c, List<Row> rows,
      java.util.function.Predicate<Row> has, String sql, Values values) throws SQLException {
    List<String> ids = rows.stream().filter(has).map(row -> row.post().id()).toList();
    Map<String, List<Object[]>> byPost = new HashMap<>();
    if (ids.isEmpty()) {
      return byPost;
    }
    List<String> padded = new ArrayList<>(PostSql.PAGE);
    while (padded.size() < PostSql.PAGE) {
      padded.addAll(ids.subList(0, Math.min(ids.size(), PostSql.PAGE - padded.size())));
    }
    PostDetailsSql.query(c, String.format(sql, PostSql.placeholders(PostSql.PAGE)), padded,
        rs -> byPost.computeIfAbsent(rs.getString(1), id -> new ArrayList<>()).add(values.of(rs)));
    return byPost;
  }

  private static Buffer write(List<Row> rows, Map<String, AuthorPlaces.Place> places,
      Map<String, List<Object[]>> attachments, Map<String, List<Object[]>> comments,
      Map<String, List<Object[]>> recipients) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 1_024 + 32);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("posts");
      for (Row row : rows) {
        writePost(g, row, places.getOrDefault(row.post().authorId(), AuthorPlaces.Place.NONE),
            attachments.getOrDefault(row.post().id(), List.of()),
            comments.getOrDefault(row.post().id(), List.of()), recipients.get(row.post().id()));
      }
      g.writeEndArray();
      g.writeBooleanField("more", rows.size() == PostSql.PAGE);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** One post, in the order and shape of {@link Post#toJson} with the details added as the page adds them. */
  private static void writePost(JsonGenerator g, Row row, AuthorPlaces.Place place, List<Object[]> attachments,
      List<Object[]> comments, List<Object[]> recipients) throws IOException {
    Post p = row.post();
    g.writeStartObject();
    g.writeStringField("id", p.id());
    g.writeNumberField("seq", p.seq());
    g.writeStringField("authorId", p.authorId());
    g.writeStringField("authorName", p.authorName());
    g.writeStringField("authorProfession", p.authorProfession());
    g.writeStringField("authorFacility", p.authorFacility());
    g.writeStringField("category", p.category());
    g.writeStringField("kind", p.kind());
    g.writeBooleanField("direct", p.direct());
    g.writeBooleanField("deleted", p.deleted());
    g.writeNumberField("version", p.version());
    g.writeStringField("createdAt", p.createdAt());
    g.writeStringField("editedAt", p.editedAt());
    g.writeStringField("syncState", p.syncState());
    if (!p.deleted()) {
      boolean vitals = "vitals".equals(p.kind());
      g.writeStringField("body", p.body());
      g.writeStringField("formType", p.formType());
      g.writeFieldName("form");
      writeStored(g, vitals ? null : p.formData());
      if (vitals) {
        g.writeFieldName("vitals");
        writeStored(g, p.formData());
      }
    }
    g.writeArrayFieldStart("attachments");
    for (Object[] a : attachments) {
      g.writeStartObject();
      g.writeStringField("id", (String) a[0]);
      g.writeStringField("name", (String) a[1]);
      g.writeStringField("mediaType", (String) a[2]);
      g.writeNumberField("size", (Long) a[3]);
      g.writeBooleanField("thumbnail", (Boolean) a[4]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("comments");
    for (Object[] m : comments) {
      g.writeStartObject();
      String[] names = {"id", "authorId", "authorName", "authorProfession", "authorFacility", "authorMunicipality",
          "authorHomeNode", "body", "createdAt"};
      for (int i = 0; i < names.length; i++) {
        g.writeStringField(names[i], (String) m[i]);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("authorMunicipality", place.municipality());
    g.writeStringField("authorHomeNode", place.homeNode());
    if (recipients != null) {
      g.writeArrayFieldStart("recipients");
      for (Object[] r : recipients) {
        g.writeString((String) r[0]);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("recipientDetails");
      for (Object[] r : recipients) {
        g.writeStartObject();
        g.writeStringField("name", (String) r[0]);
        g.writeStringField("facility", (String) r[1]);
        g.writeStringField("municipality", (String) r[2]);
        g.writeStringField("homeNode", (String) r[3]);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeNumberField("readCount", row.readCount());
    g.writeBooleanField("readByMe", row.readByMe());
    g.writeEndObject();
  }

  /** A form's or vital signs' values as stored (JSON text the node wrote), or null. */
  private static void writeStored(JsonGenerator g, String json) throws IOException {
    if (json == null) {
      g.writeNull();
    } else {
      g.writeRawValue(json);
    }
  }
}
