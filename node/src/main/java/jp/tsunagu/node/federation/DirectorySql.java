package jp.tsunagu.node.federation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.federation.ProtocolException;
import jp.tsunagu.federation.identity.FederatedId;
import jp.tsunagu.federation.wire.ProfessionalDirectory;
import jp.tsunagu.node.storage.SqlLike;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * The SQL of the partner directory: this node's active professionals as partners may see them.
 * The select names exactly the columns an entry carries, so nothing else (e-mail, certificates,
 * internal ids) can reach a partner by a slip further on.
 */
final class DirectorySql {

  private DirectorySql() {}

  /** Active professionals (and facility administrators) matching a name, kana or facility name. */
  static List<ProfessionalDirectory.Entry> professionals(Connection c, String query, String localNode)
      throws SQLException {
    String like = SqlLike.contains(query);
    List<ProfessionalDirectory.Entry> found = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("select u.login_id, u.family_name || ' ' || u.given_name,"
        + " u.profession, f.name from users u join facilities f on f.id = u.facility_id"
        + " where u.status = 'active' and u.role in ('professional', 'facility_admin')"
        + " and (u.family_name || u.given_name like ?" + SqlLike.ESCAPE + " or u.family_kana || u.given_kana like ?"
        + SqlLike.ESCAPE + " or f.name like ?" + SqlLike.ESCAPE + ")"
        + " order by u.family_kana, u.given_kana limit ?")) {
      s.setString(1, like);
      s.setString(2, like);
      s.setString(3, like);
      s.setInt(4, ProfessionalDirectory.MAX_ENTRIES);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(2);
          String profession = rs.getString(3);
          String facility = rs.getString(4);
          federatedId(rs.getString(1), localNode).ifPresent(id -> found.add(new ProfessionalDirectory.Entry(id,
              name, profession, ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa)
                  .orElse(profession), facility)));
        }
      }
    }
    return found;
  }

  /** Every login id made through registration is valid here; one seeded otherwise is left out, not sent. */
  private static Optional<String> federatedId(String loginId, String localNode) {
    try {
      return Optional.of(new FederatedId(loginId, localNode).toString());
    } catch (ProtocolException e) {
      return Optional.empty();
    }
  }
}
