package jp.tsunagu.node.resources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of referral sheets (紹介シート): a sheet with the resources it introduces, this node's and
 * partners', and how often each resource was introduced. The resources themselves are
 * {@link ResourceSql}'s.
 */
final class ReferralSql {

  private ReferralSql() {}

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
