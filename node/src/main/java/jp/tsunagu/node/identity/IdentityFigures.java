package jp.tsunagu.node.identity;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;
import jp.tsunagu.node.reference.ReferenceData;

/**
 * Identity's figures for the usage report: facilities and this node's professionals of a municipality
 * registered at the end of the window, by 職種, and those active (anything in the audit log under their
 * account) in the 7 and 30 days before its end. Counts only.
 */
public final class IdentityFigures implements UsageFigures {

  private static final String PROFESSIONALS = "select u.id from users u join facilities f on f.id = u.facility_id"
      + " where u.role = 'professional' and u.status = 'active' and u.home_node is null and f.municipality_code = ?"
      + " and u.created_at < ?";
  /** Professionals who did anything in a window: read from the audit log's (at, actor) index alone. */
  static final String ACTIVE_PROFESSIONALS = "select count(distinct actor) from audit_log where at >= ? and at < ?"
      + " and actor in (" + PROFESSIONALS + ")";

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of();
    }
    String code = municipality.get();
    List<Figure> out = new ArrayList<>();
    out.add(new Figure("identity.facilities", "登録施設", number(c,
        "select count(*) from facilities where municipality_code = ? and created_at < ?", code, w.toText())));
    out.add(new Figure("identity.professionals", "登録専門職", number(c,
        "select count(*) from (" + PROFESSIONALS + ")", code, w.toText())));
    for (int days : new int[] {7, 30}) {
      String since = w.to().minus(Duration.ofDays(days)).toString();
      out.add(new Figure("identity.professionals_active_" + days + "d", "直近" + days + "日に利用した専門職", number(c,
          ACTIVE_PROFESSIONALS, since, w.toText(), code, w.toText())));
    }
    for (Object[] row : UsageFigures.pairs(c, "select u.profession, count(*) from users u join facilities f"
        + " on f.id = u.facility_id where u.role = 'professional' and u.status = 'active' and u.home_node is null"
        + " and f.municipality_code = ? and u.created_at < ? group by u.profession order by u.profession",
        code, w.toText())) {
      String profession = (String) row[0];
      String label = ReferenceData.get().profession(profession).map(ReferenceData.Profession::nameJa).orElse(profession);
      out.add(new Figure("identity.professionals:" + profession, "職種別 " + label, (Long) row[1]));
    }
    return out;
  }
}
