package jp.tsunagu.node.emergency;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Emergency accesses for the usage report: those opened in the window on this node's patients of a
 * municipality, and, for the whole node, those a partner's responder opened here. Counts only.
 */
public final class EmergencyFigures implements UsageFigures {

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of(new Figure("emergency.partner_accesses", "連携先の救急による緊急閲覧", number(c,
          "select count(*) from audit_log where action = 'emergency.partner.access.open' and outcome = 'success'"
              + " and at >= ? and at < ?", w.fromText(), w.toText())));
    }
    return List.of(new Figure("emergency.accesses", "緊急閲覧", number(c, "select count(*) from emergency_accesses a"
        + " join patients p on p.id = a.patient_id where p.municipality_code = ? and a.opened_at >= ?"
        + " and a.opened_at < ?", municipality.get(), w.fromText(), w.toText())));
  }
}
