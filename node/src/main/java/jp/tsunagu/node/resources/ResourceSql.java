package jp.tsunagu.node.resources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the resources feature's catalogue: resources, their vocabulary, tags and photos (the
 * referral sheets are {@link ReferralSql}'s). Runs on storage threads with the connection it is given.
 */
final class ResourceSql {

  private static final String COLUMNS = "id, name, name_kana, category, sub_category, municipality_code, address,"
      + " building, latitude, longitude, phone, fax, url, description, schedule_rules, schedule_note, fee, capacity,"
      + " transport, accessibility, contact, operator_name, published, last_verified, created_at, updated_at";

  private ResourceSql() {}

  // --- vocabulary -------------------------------------------------------------------------------

  static Vocabulary vocabulary(Connection c) throws SQLException {
    List<Category> categories = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select code, parent_code, name_ja, open_data_set, sort_order"
        + " from resource_categories order by sort_order, code"); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        categories.add(new Category(r.getString(1), Optional.ofNullable(r.getString(2)), r.getString(3),
            Optional.ofNullable(r.getString(4)), r.getInt(5)));
      }
    }
    List<String> tags = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select name_ja from resource_tag_vocabulary order by sort_order,"
        + " name_ja"); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        tags.add(r.getString(1));
      }
    }
    return new Vocabulary(categories, tags);
  }

  static void insertCategory(Connection c, Category category) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into resource_categories (code, parent_code, name_ja,"
        + " open_data_set, sort_order) values (?, ?, ?, ?, ?)")) {
      s.setString(1, category.code());
      s.setString(2, category.parentCode().orElse(null));
      s.setString(3, category.nameJa());
      s.setString(4, category.openDataSet().orElse(null));
      s.setInt(5, category.sortOrder());
      s.executeUpdate();
    }
  }

  static void insertTag(Connection c, String tag, int sortOrder) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "insert into resource_tag_vocabulary (name_ja, sort_order) values (?, ?)")) {
      s.setString(1, tag);
      s.setInt(2, sortOrder);
      s.executeUpdate();
    }
  }

  // --- resources --------------------------------------------------------------------------------

  static boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select 1 from resources where id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  static void insert(Connection c, String id, ResourceFields f, boolean published, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into resources (" + COLUMNS + ") values"
        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, id);
      bindFields(s, 2, f);
      s.setInt(23, published ? 1 : 0);
      s.setString(24, f.lastVerified().map(LocalDate::toString).orElse(null));
      s.setString(25, now.toString());
      s.setString(26, now.toString());
      s.executeUpdate();
    }
    replaceTags(c, id, f.tags());
  }

  /** Replaces the fields; {@code published} empty keeps the current state. False when there is no such id. */
  static boolean update(Connection c, String id, ResourceFields f, Optional<Boolean> published, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update resources set name = ?, name_kana = ?, category = ?,"
        + " sub_category = ?, municipality_code = ?, address = ?, building = ?, latitude = ?, longitude = ?, phone = ?,"
        + " fax = ?, url = ?, description = ?, schedule_rules = ?, schedule_note = ?, fee = ?, capacity = ?,"
        + " transport = ?, accessibility = ?, contact = ?, operator_name = ?, published = coalesce(?, published),"
        + " last_verified = ?, updated_at = ? where id = ?")) {
      bindFields(s, 1, f);
      if (published.isPresent()) {
        s.setInt(22, published.get() ? 1 : 0);
      } else {
        s.setNull(22, Types.INTEGER);
      }
      s.setString(23, f.lastVerified().map(LocalDate::toString).orElse(null));
      s.setString(24, now.toString());
      s.setString(25, id);
      if (s.executeUpdate() == 0) {
        return false;
      }
    }
    replaceTags(c, id, f.tags());
    return true;
  }

  /** Sets the 21 field columns from {@code first} on, in {@link #COLUMNS} order. */
  private static void bindFields(PreparedStatement s, int first, ResourceFields f) throws SQLException {
    int i = first;
    s.setString(i++, f.name());
    s.setString(i++, f.nameKana());
    s.setString(i++, f.category());
    s.setString(i++, f.subCategory().orElse(null));
    s.setString(i++, f.municipalityCode());
    s.setString(i++, f.address());
    s.setString(i++, f.building());
    s.setDouble(i++, f.location().latitude());
    s.setDouble(i++, f.location().longitude());
    s.setString(i++, f.phone());
    s.setString(i++, f.fax());
    s.setString(i++, f.url());
    s.setString(i++, f.description());
    s.setString(i++, f.schedule().rulesText());
    s.setString(i++, f.schedule().note());
    s.setString(i++, f.fee());
    if (f.capacity().isPresent()) {
      s.setInt(i++, f.capacity().get());
    } else {
      s.setNull(i++, Types.INTEGER);
    }
    s.setString(i++, f.transport());
    s.setString(i++, f.accessibility());
    s.setString(i++, f.contact());
    s.setString(i, f.operatorName());
  }

  private static void replaceTags(Connection c, String id, List<String> tags) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from resource_tags where resource_id = ?")) {
      s.setString(1, id);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("insert into resource_tags (resource_id, tag) values (?, ?)")) {
      for (String tag : tags) {
        s.setString(1, id);
        s.setString(2, tag);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  static boolean setPublished(Connection c, String id, boolean published, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("update resources set published = ?, updated_at = ? where id = ?")) {
      s.setInt(1, published ? 1 : 0);
      s.setString(2, now.toString());
      s.setString(3, id);
      return s.executeUpdate() == 1;
    }
  }

  static Optional<Resource> byId(Connection c, String id) throws SQLException {
    List<Resource> found = select(c, "where id = ?", id);
    return found.stream().findFirst();
  }

  /** Every resource, or only the published ones, ordered by name reading. */
  static List<Resource> all(Connection c, boolean publishedOnly) throws SQLException {
    return publishedOnly ? select(c, "where published = 1") : select(c, "");
  }

  private static List<Resource> select(Connection c, String where, String... args) throws SQLException {
    Map<String, List<String>> tags = tagsOf(c);
    Map<String, List<String>> photos = photoIdsOf(c);
    List<Resource> resources = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from resources " + where
        + " order by name_kana, name, id")) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          resources.add(read(r, tags.getOrDefault(r.getString(1), List.of()),
              photos.getOrDefault(r.getString(1), List.of())));
        }
      }
    }
    return resources;
  }

  private static Resource read(ResultSet r, List<String> tags, List<String> photos) throws SQLException {
    int capacity = r.getInt(18);
    Optional<Integer> cap = r.wasNull() ? Optional.empty() : Optional.of(capacity);
    ResourceFields fields = new ResourceFields(r.getString(2), r.getString(3), r.getString(4),
        Optional.ofNullable(r.getString(5)), tags, r.getString(6), r.getString(7), r.getString(8),
        new GeoPoint(r.getDouble(9), r.getDouble(10)), r.getString(11), r.getString(12), r.getString(13),
        r.getString(14), new Schedule(Schedule.parseStored(r.getString(15)), r.getString(16)), r.getString(17), cap,
        r.getString(19), r.getString(20), r.getString(21), r.getString(22),
        Optional.ofNullable(r.getString(24)).map(LocalDate::parse));
    return new Resource(r.getString(1), fields, photos, r.getInt(23) == 1, Instant.parse(r.getString(25)),
        Instant.parse(r.getString(26)));
  }

  private static Map<String, List<String>> tagsOf(Connection c) throws SQLException {
    Map<String, List<String>> tags = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("select t.resource_id, t.tag from resource_tags t"
        + " join resource_tag_vocabulary v on v.name_ja = t.tag order by v.sort_order");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        tags.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
      }
    }
    return tags;
  }

  // --- photos -----------------------------------------------------------------------------------

  private static Map<String, List<String>> photoIdsOf(Connection c) throws SQLException {
    Map<String, List<String>> photos = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("select resource_id, id from resource_photos order by created_at, id");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        photos.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(2));
      }
    }
    return photos;
  }

  static void insertPhoto(Connection c, String id, String resourceId, Photo photo, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into resource_photos (id, resource_id, content_type, bytes,"
        + " caption, created_at) values (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, resourceId);
      s.setString(3, photo.contentType());
      s.setBytes(4, photo.bytes());
      s.setString(5, photo.caption());
      s.setString(6, now.toString());
      s.executeUpdate();
    }
  }

  /** A photo of a resource; with {@code publishedOnly} only of a published one (the public may see nothing else). */
  static Optional<Photo> photo(Connection c, String resourceId, String photoId, boolean publishedOnly)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select p.content_type, p.bytes, p.caption from resource_photos p"
        + " join resources r on r.id = p.resource_id where p.id = ? and p.resource_id = ?"
        + (publishedOnly ? " and r.published = 1" : ""))) {
      s.setString(1, photoId);
      s.setString(2, resourceId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Photo(r.getString(1), r.getBytes(2), r.getString(3))) : Optional.empty();
      }
    }
  }
}
