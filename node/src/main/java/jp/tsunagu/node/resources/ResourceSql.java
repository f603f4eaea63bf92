package jp.tsunagu.node.resources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All SQL of the resources feature. Runs on storage threads with the connection it is given. */
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

  // --- referrals --------------------------------------------------------------------------------

  static void insertReferral(Connection c, Referral referral) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into referrals (id, resident_name, referrer_name,"
        + " referrer_org, comment, origin_label, origin_lat, origin_lon, created_by, created_at, patient_id)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, referral.id());
      s.setString(2, referral.residentName());
      s.setString(3, referral.referrerName());
      s.setString(4, referral.referrerOrganization());
      s.setString(5, referral.comment());
      s.setString(6, referral.originLabel());
      setNullableDouble(s, 7, referral.origin().map(GeoPoint::latitude));
      setNullableDouble(s, 8, referral.origin().map(GeoPoint::longitude));
      s.setString(9, referral.createdBy().orElse(null));
      s.setString(10, referral.createdAt().toString());
      s.setString(11, referral.patientId().orElse(null));
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement(
        "insert into referral_items (referral_id, position, resource_id) values (?, ?, ?)")) {
      for (int i = 0; i < referral.resourceIds().size(); i++) {
        s.setString(1, referral.id());
        s.setInt(2, i + 1);
        s.setString(3, referral.resourceIds().get(i));
        s.addBatch();
      }
      s.executeBatch();
    }
    try (PreparedStatement s = c.prepareStatement("insert into referral_partner_items (referral_id, position, node,"
        + " resource_id, name, facts) values (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < referral.partnerItems().size(); i++) {
        Referral.PartnerItem item = referral.partnerItems().get(i);
        s.setString(1, referral.id());
        s.setInt(2, referral.resourceIds().size() + i + 1);
        s.setString(3, item.node());
        s.setString(4, item.resourceId());
        s.setString(5, item.name());
        s.setString(6, new io.vertx.core.json.JsonArray(item.facts()).encode());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void setNullableDouble(PreparedStatement s, int index, Optional<Double> value) throws SQLException {
    if (value.isPresent()) {
      s.setDouble(index, value.get());
    } else {
      s.setNull(index, Types.REAL);
    }
  }

  private static final String REFERRAL_COLUMNS = "select id, resident_name, referrer_name, referrer_org, comment,"
      + " origin_label, origin_lat, origin_lon, created_by, created_at, patient_id from referrals";

  static Optional<Referral> referral(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(REFERRAL_COLUMNS + " where id = ?")) {
      s.setString(1, id);
      return readReferrals(c, s).stream().findFirst();
    }
  }

  /** The referrals made for a patient, newest first. */
  static List<Referral> referralsFor(Connection c, String patientId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(REFERRAL_COLUMNS
        + " where patient_id = ? order by created_at desc, id desc")) {
      s.setString(1, patientId);
      return readReferrals(c, s);
    }
  }

  private static List<Referral> readReferrals(Connection c, PreparedStatement query) throws SQLException {
    List<Referral> found = new ArrayList<>();
    try (ResultSet r = query.executeQuery()) {
      while (r.next()) {
        double lat = r.getDouble(7);
        Optional<GeoPoint> origin = r.wasNull() ? Optional.empty() : Optional.of(new GeoPoint(lat, r.getDouble(8)));
        found.add(new Referral(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
            r.getString(6), origin, List.of(), List.of(), Optional.ofNullable(r.getString(9)),
            Instant.parse(r.getString(10)),
            Optional.ofNullable(r.getString(11))));
      }
    }
    List<Referral> withItems = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "select resource_id from referral_items where referral_id = ? order by position");
        PreparedStatement p = c.prepareStatement("select node, resource_id, name, facts from referral_partner_items"
            + " where referral_id = ? order by position")) {
      for (Referral referral : found) {
        List<String> resourceIds = new ArrayList<>();
        s.setString(1, referral.id());
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            resourceIds.add(r.getString(1));
          }
        }
        List<Referral.PartnerItem> partners = new ArrayList<>();
        p.setString(1, referral.id());
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            partners.add(new Referral.PartnerItem(r.getString(1), r.getString(2), r.getString(3),
                new io.vertx.core.json.JsonArray(r.getString(4)).stream().map(String::valueOf).toList()));
          }
        }
        withItems.add(referral.withItems(resourceIds, partners));
      }
    }
    return withItems;
  }

  /**
   * How many times each resource was introduced on this node's referral sheets: by id for this
   * node's resources, by {@code node/id} for partners' (a local id has no '/').
   */
  static Map<String, Integer> introductionCounts(Connection c) throws SQLException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select resource_id, count(*) from referral_items group by resource_id"
            + " union all select node || '/' || resource_id, count(*) from referral_partner_items"
            + " group by node, resource_id")) {
      while (r.next()) {
        counts.put(r.getString(1), r.getInt(2));
      }
    }
    return counts;
  }
}
