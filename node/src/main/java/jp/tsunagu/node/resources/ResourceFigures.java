package jp.tsunagu.node.resources;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Regional resources for the usage report: those of a municipality published at the end of the window
 * and the referrals (紹介) made in the window that name one of them; for the whole node, the lookups of
 * a patient's nearby resources by team members (the audited views; the public portal keeps no log of
 * its anonymous readers). Counts only.
 */
public final class ResourceFigures implements UsageFigures {

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of(new Figure("resources.views", "周辺資源の閲覧", number(c, "select count(*) from audit_log"
          + " where action = 'patient.nearby_resources' and outcome = 'success' and at >= ? and at < ?",
          w.fromText(), w.toText())));
    }
    String code = municipality.get();
    return List.of(
        new Figure("resources.published", "公開中の地域資源", number(c, "select count(*) from resources"
            + " where municipality_code = ? and published = 1 and created_at < ?", code, w.toText())),
        new Figure("resources.referrals", "地域資源の紹介", number(c, "select count(distinct r.id) from referrals r"
            + " join referral_items i on i.referral_id = r.id join resources s on s.id = i.resource_id"
            + " where s.municipality_code = ? and r.created_at >= ? and r.created_at < ?",
            code, w.fromText(), w.toText())));
  }
}
