package jp.tsunagu.node.emergency;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Emergency accesses for the usage report. Per municipality of the patient (every access is to a
 * patient of this node, whose municipality is on record): all accesses opened in the window, and those
 * of them a partner's responder opened (a partner's responder is kept as a person of the partner's
 * node). For the whole node: the accesses this node's responders opened on partners' patients, whose
 * municipality only the partner holds. Counts only.
 */
public final class EmergencyFigures implements UsageFigures {

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of(new Figure("emergency.accesses_at_partners", "当ノードの救急による連携先での緊急閲覧", number(c,
          "select count(*) from emergency_partner_accesses where opened_at >= ? and opened_at < ?",
          w.fromText(), w.toText())));
    }
    String accesses = "select count(*) from emergency_accesses a join patients p on p.id = a.patient_id"
        + " where p.municipality_code = ? and a.opened_at >= ? and a.opened_at < ?";
    return List.of(
        new Figure("emergency.accesses", "緊急閲覧", number(c, accesses, municipality.get(), w.fromText(), w.toText())),
        new Figure("emergency.partner_accesses", "連携先の救急による緊急閲覧", number(c, accesses
            + " and a.responder_id in (select id from users where home_node is not null)", municipality.get(),
            w.fromText(), w.toText())));
  }
}
