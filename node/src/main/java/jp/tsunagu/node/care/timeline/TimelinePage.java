package jp.tsunagu.node.care.timeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jp.tsunagu.node.care.teams.Places;

/**
 * A timeline page read from the database, the answer of {@code GET …/posts} with {@code before} or a
 * category, in one statement written straight to its JSON row by row. Each post's row holds its read
 * count and says whether comments or attachments hang off it (counts the database keeps, see the
 * {@code post_detail_counts} and {@code post_read_counts} migrations): the statement reads those
 * details, and a direct post's recipients, only for the posts that have any (a few on a page of 50),
 * each as one small JSON array made by SQLite beside the post, instead of three more statements over
 * the whole page. "Read by me" is looked up among the reader's own receipts ({@code post_reads_user}),
 * which lie together. The authors' places, of posts and of comments, come from memory
 * ({@link AuthorPlaces}: a page has a handful of authors, whom a join searched for once per post or
 * comment, on pages a reader's cache had dropped at the last commit). Its JSON is that of
 * {@link PostDetailsSql#withDetails}, field for field.
 */
final class TimelinePage {

  private static final JsonFactory JSON = new JsonFactory();
  static final String PAGE = "select p.id, p.seq, p.author_id, p.author_name, p.author_profession,"
      + " p.author_facility, p.category, p.kind, p.direct, p.status, p.version, p.created_at, p.edited_at,"
      + " p.sync_state, p.body, p.form_type, p.form_data, p.read_count,"
      + " exists (select 1 from post_reads r indexed by post_reads_user where r.user_id = ? and r.post_id = p.id),"
      // ties in time keep the order of each table's index, as the separate queries had them
      + " case when p.attachment_count > 0 then (select json_group_array(json_array(a.id, a.file_name,"
      + " a.media_type, a.size, a.thumbnail) order by a.uploaded_at, a.rowid) from attachments a"
      + " where a.post_id = p.id) end,"
      + " case when p.comment_count > 0 then (select json_group_array(json_array(m.id, m.author_id, m.author_name,"
      + " m.author_profession, m.author_facility, m.body, m.created_at) order by m.created_at, m.rowid)"
      + " from comments m where m.post_id = p.id) end,"
      + " case when p.direct = 1 then (select json_group_array(json_array(u.family_name || ' ' || u.given_name,"
      + " coalesce(f.name, u.remote_facility, ''), f.municipality_code, u.home_node)"
      + " order by u.family_kana, u.given_kana, u.id) from post_recipients r join users u on u.id = r.user_id"
      + " left join facilities f on f.id = u.facility_id where r.post_id = p.id) end"
      + " from posts p where p.board_id = ? and p.seq < ? and " + PostSql.VISIBLE;
  private static final byte[] DELETED_STATUS = "deleted".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VITALS_KIND = "vitals".getBytes(StandardCharsets.UTF_8);
  private static final SerializableString[] COMMENT_FIELDS = {Names.ID, Names.AUTHOR_ID, Names.AUTHOR_NAME,
      Names.AUTHOR_PROFESSION, Names.AUTHOR_FACILITY};

  private TimelinePage() {}

  /**
   * The page below {@code beforeSeq} for the user, of the posts filed under {@code categories} (all if
   * empty), with the authors' places from {@code authors} (taken before the read began).
   */
  static Buffer read(Connection c, String boardId, String userId, long beforeSeq, List<String> categories,
      AuthorPlaces.Reading authors) throws SQLException {
    String filter = categories.isEmpty() ? ""
        : " and p.category in (" + PostSql.placeholders(categories.size()) + ")";
    Buffer page = Buffer.buffer(PostSql.PAGE * 1_024 + 32);
    try (PreparedStatement s = c.prepareStatement(PAGE + filter + " order by p.seq desc limit " + PostSql.PAGE);
        JsonGenerator g = JSON.createGenerator(new BufferOutput(page))) {
      s.setString(1, userId);
      s.setString(2, boardId);
      s.setLong(3, beforeSeq);
      s.setString(4, userId);
      for (int i = 0; i < categories.size(); i++) {
        s.setString(5 + i, categories.get(i));
      }
      g.writeStartObject();
      g.writeFieldName(Names.POSTS);
      g.writeStartArray();
      int posts = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          writePost(g, rs, c, userId, authors);
          posts++;
        }
      }
      g.writeEndArray();
      writeBoolean(g, Names.MORE, posts == PostSql.PAGE);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return page;
  }

  /** One post of the page's row, in the order and shape of {@link Post#toJson} with the details the page adds. */
  private static void writePost(JsonGenerator g, ResultSet rs, Connection c, String userId,
      AuthorPlaces.Reading authors) throws SQLException, IOException {
    String authorId = rs.getString(3);
    byte[] kind = rs.getBytes(8);
    boolean direct = rs.getInt(9) == 1;
    boolean deleted = Arrays.equals(DELETED_STATUS, rs.getBytes(10));
    g.writeStartObject();
    writeText(g, Names.ID, rs, 1);
    writeNumber(g, Names.SEQ, rs.getLong(2));
    writeString(g, Names.AUTHOR_ID, authorId);
    writeText(g, Names.AUTHOR_NAME, rs, 4);
    writeText(g, Names.AUTHOR_PROFESSION, rs, 5);
    writeText(g, Names.AUTHOR_FACILITY, rs, 6);
    writeText(g, Names.CATEGORY, rs, 7);
    writeText(g, Names.KIND, kind);
    writeBoolean(g, Names.DIRECT, direct);
    writeBoolean(g, Names.DELETED, deleted);
    writeNumber(g, Names.VERSION, rs.getInt(11));
    writeText(g, Names.CREATED_AT, rs, 12);
    writeText(g, Names.EDITED_AT, rs, 13);
    writeText(g, Names.SYNC_STATE, rs, 14);
    if (!deleted) {
      boolean vitals = Arrays.equals(VITALS_KIND, kind);
      writeText(g, Names.BODY, rs, 15);
      writeText(g, Names.FORM_TYPE, rs, 16);
      byte[] stored = rs.getBytes(17);
      String formData = stored == null ? null : new String(stored, StandardCharsets.UTF_8);
      g.writeFieldName(Names.FORM);
      writeStored(g, vitals ? null : formData);
      if (vitals) {
        g.writeFieldName(Names.VITALS);
        writeStored(g, formData);
      }
    }
    g.writeFieldName(Names.ATTACHMENTS);
    g.writeStartArray();
    for (Object[] a : rows(rs.getBytes(20))) {
      g.writeStartObject();
      writeString(g, Names.ID, (String) a[0]);
      writeString(g, Names.NAME, (String) a[1]);
      writeString(g, Names.MEDIA_TYPE, (String) a[2]);
      writeNumber(g, Names.SIZE, (Long) a[3]);
      writeBoolean(g, Names.THUMBNAIL, Long.valueOf(1).equals(a[4]));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName(Names.COMMENTS);
    g.writeStartArray();
    for (Object[] m : rows(rs.getBytes(21))) {
      g.writeStartObject();
      for (int i = 0; i < COMMENT_FIELDS.length; i++) {
        writeString(g, COMMENT_FIELDS[i], (String) m[i]);
      }
      writePlace(g, authors.of(c, (String) m[1]));
      writeString(g, Names.BODY, (String) m[5]);
      writeString(g, Names.CREATED_AT, (String) m[6]);
      g.writeEndObject();
    }
    g.writeEndArray();
    writePlace(g, authors.of(c, authorId));
    List<Object[]> recipients = rows(rs.getBytes(22));
    if (!recipients.isEmpty()) {
      g.writeFieldName(Names.RECIPIENTS);
      g.writeStartArray();
      for (Object[] r : recipients) {
        g.writeString((String) r[0]);
      }
      g.writeEndArray();
      g.writeFieldName(Names.RECIPIENT_DETAILS);
      g.writeStartArray();
      for (Object[] r : recipients) {
        g.writeStartObject();
        writeString(g, Names.NAME, (String) r[0]);
        writeString(g, Names.FACILITY, (String) r[1]);
        writeString(g, Names.MUNICIPALITY, Places.municipality((String) r[2]));
        writeString(g, Names.HOME_NODE, (String) r[3]);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    writeNumber(g, Names.READ_COUNT, rs.getInt(18));
    writeBoolean(g, Names.READ_BY_ME, userId.equals(authorId) || rs.getInt(19) == 1);
    g.writeEndObject();
  }

  /**
   * A text column as a JSON string field, its UTF-8 bytes as SQLite holds them escaped straight into
   * the page. The driver's String costs a native call that wraps SQLite's text in a direct buffer and
   * a decoding of it, and the generator encodes it again: about a quarter of the reader's CPU for a
   * page, where the bytes cost a copy ({@code TimelinePageCosts}).
   * The generator escapes what {@link JsonGenerator#writeString} escapes byte for byte, but writes a
   * character above U+FFFF as its UTF-8 where {@code writeString} writes an escaped surrogate pair: a
   * text with one (a 4-byte sequence) is written through a String, so that every page of a board reads
   * the same as its cached first page.
   */
  private static void writeText(JsonGenerator g, SerializableString name, ResultSet rs, int column)
      throws SQLException, IOException {
    writeText(g, name, rs.getBytes(column));
  }

  private static void writeText(JsonGenerator g, SerializableString name, byte[] utf8) throws IOException {
    g.writeFieldName(name);
    if (utf8 == null) {
      g.writeNull();
    } else if (beyondBasicPlane(utf8)) {
      g.writeString(new String(utf8, StandardCharsets.UTF_8));
    } else {
      g.writeUTF8String(utf8, 0, utf8.length);
    }
  }

  /** Whether UTF-8 text holds a character above U+FFFF (a sequence led by a byte 0xF0 or above). */
  private static boolean beyondBasicPlane(byte[] utf8) {
    for (byte b : utf8) {
      if ((b & 0xFF) >= 0xF0) {
        return true;
      }
    }
    return false;
  }

  /** The generator's output appended to the answer's buffer, without a copy of the whole page between. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer buffer;

    BufferOutput(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer.appendBytes(bytes, offset, length);
    }
  }

  private static void writePlace(JsonGenerator g, AuthorPlaces.Place place) throws IOException {
    writeString(g, Names.AUTHOR_MUNICIPALITY, place.municipality());
    writeString(g, Names.AUTHOR_HOME_NODE, place.homeNode());
  }

  /**
   * The rows of one of a post's details as SQLite made them, an array of arrays of strings, integers
   * and nulls; none when the post has none (the column is null).
   */
  private static List<Object[]> rows(byte[] json) throws IOException {
    if (json == null) {
      return List.of();
    }
    List<Object[]> rows = new ArrayList<>(2);
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.START_ARRAY) {
        List<Object> values = new ArrayList<>(8);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          values.add(switch (t) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> p.getLongValue();
            default -> p.getText();
          });
        }
        rows.add(values.toArray());
      }
    }
    return rows;
  }

  /** A form's or vital signs' values as stored (JSON text the node wrote), or null. */
  private static void writeStored(JsonGenerator g, String json) throws IOException {
    if (json == null) {
      g.writeNull();
    } else {
      g.writeRawValue(json);
    }
  }

  /**
   * The page's field names, encoded once: a name given as a String is copied and encoded by the
   * generator every time it is written, some 1,500 times a page.
   */
  private static final class Names {
    static final SerializableString ATTACHMENTS = new SerializedString("attachments");
    static final SerializableString AUTHOR_FACILITY = new SerializedString("authorFacility");
    static final SerializableString AUTHOR_HOME_NODE = new SerializedString("authorHomeNode");
    static final SerializableString AUTHOR_ID = new SerializedString("authorId");
    static final SerializableString AUTHOR_MUNICIPALITY = new SerializedString("authorMunicipality");
    static final SerializableString AUTHOR_NAME = new SerializedString("authorName");
    static final SerializableString AUTHOR_PROFESSION = new SerializedString("authorProfession");
    static final SerializableString BODY = new SerializedString("body");
    static final SerializableString CATEGORY = new SerializedString("category");
    static final SerializableString COMMENTS = new SerializedString("comments");
    static final SerializableString CREATED_AT = new SerializedString("createdAt");
    static final SerializableString DELETED = new SerializedString("deleted");
    static final SerializableString DIRECT = new SerializedString("direct");
    static final SerializableString EDITED_AT = new SerializedString("editedAt");
    static final SerializableString FACILITY = new SerializedString("facility");
    static final SerializableString FORM = new SerializedString("form");
    static final SerializableString FORM_TYPE = new SerializedString("formType");
    static final SerializableString HOME_NODE = new SerializedString("homeNode");
    static final SerializableString ID = new SerializedString("id");
    static final SerializableString KIND = new SerializedString("kind");
    static final SerializableString MEDIA_TYPE = new SerializedString("mediaType");
    static final SerializableString MORE = new SerializedString("more");
    static final SerializableString MUNICIPALITY = new SerializedString("municipality");
    static final SerializableString NAME = new SerializedString("name");
    static final SerializableString POSTS = new SerializedString("posts");
    static final SerializableString READ_BY_ME = new SerializedString("readByMe");
    static final SerializableString READ_COUNT = new SerializedString("readCount");
    static final SerializableString RECIPIENTS = new SerializedString("recipients");
    static final SerializableString RECIPIENT_DETAILS = new SerializedString("recipientDetails");
    static final SerializableString SEQ = new SerializedString("seq");
    static final SerializableString SIZE = new SerializedString("size");
    static final SerializableString SYNC_STATE = new SerializedString("syncState");
    static final SerializableString THUMBNAIL = new SerializedString("thumbnail");
    static final SerializableString VERSION = new SerializedString("version");
    static final SerializableString VITALS = new SerializedString("vitals");

    private Names() {}
  }

  private static void writeString(JsonGenerator g, SerializableString name, String value) throws IOException {
    g.writeFieldName(name);
    g.writeString(value);
  }

  private static void writeNumber(JsonGenerator g, SerializableString name, long value) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private static void writeBoolean(JsonGenerator g, SerializableString name, boolean value) throws IOException {
    g.writeFieldName(name);
    g.writeBoolean(value);
  }
}
