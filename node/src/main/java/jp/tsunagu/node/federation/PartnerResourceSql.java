package jp.tsunagu.node.federation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the partners' resource listings kept by this node. */
final class PartnerResourceSql {

  /** A stored listing: the partner and the compact JWS it signed. */
  record Stored(String node, String listing, Instant fetchedAt) {}

  private PartnerResourceSql() {}

  static List<Stored> all(Connection c) throws SQLException {
    List<Stored> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select node, listing, fetched_at from partner_resource_listings"
        + " order by node"); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(new Stored(rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3))));
      }
    }
    return rows;
  }

  static void save(Connection c, String node, String listing, Instant issuedAt, Instant fetchedAt)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("insert into partner_resource_listings (node, listing, issued_at,"
        + " fetched_at) values (?, ?, ?, ?) on conflict (node) do update set listing = excluded.listing,"
        + " issued_at = excluded.issued_at, fetched_at = excluded.fetched_at")) {
      s.setString(1, node);
      s.setString(2, listing);
      s.setString(3, issuedAt.toString());
      s.setString(4, fetchedAt.toString());
      s.executeUpdate();
    }
  }

  static boolean delete(Connection c, String node) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("delete from partner_resource_listings where node = ?")) {
      s.setString(1, node);
      return s.executeUpdate() > 0;
    }
  }
}
