package jp.tsunagu.node.resources;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Regional resources for the usage report: those of a municipality published at the end of the window,
 * the referrals (紹介) made in the window that name one of them, and the lookups of a patient's nearby
 * resources by team members (the audited views) in the patient's municipality; for the whole node, the
 * lookups on partners' patients (their municipality is the partner's to count; the public portal keeps no
 * log of its anonymous readers). Counts only.
 */
public final class ResourceFigures implements UsageFigures {

  /** The audited lookups of a patient's nearby resources, with the patient's board (patient id = board id). */
  private static final String VIEWS = "select count(*) from audit_log a join care_boards b on a.target = 'patient:' || b.id"
      + " where a.action = 'patient.nearby_resources' and a.outcome = 'success' and a.at >= ? and a.at < ?";

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of(new Figure("resources.partner_views", "連携先の患者の周辺資源の閲覧", number(c,
          VIEWS + " and b.home_node is not null", w.fromText(), w.toText())));
    }
    String code = municipality.get();
    return List.of(
        new Figure("resources.published", "公開中の地域資源", number(c, "select count(*) from resources"
            + " where municipality_code = ? and published = 1 and created_at < ?", code, w.toText())),
        new Figure("resources.referrals", "地域資源の紹介", number(c, "select count(distinct r.id) from referrals r"
            + " join referral_items i on i.referral_id = r.id join resources s on s.id = i.resource_id"
            + " where s.municipality_code = ? and r.created_at >= ? and r.created_at < ?",
            code, w.fromText(), w.toText())),
        new Figure("resources.views", "周辺資源の閲覧", number(c, VIEWS + " and b.home_node is null"
            + " and exists (select 1 from patients p where p.id = b.id and p.municipality_code = ?)",
            w.fromText(), w.toText(), code)));
  }
}
