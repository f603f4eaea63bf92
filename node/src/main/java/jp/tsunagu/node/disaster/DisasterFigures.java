package jp.tsunagu.node.disaster;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * 安否確認 progress for the usage report: per municipality (the checked person's, as the register held
 * them when the check was recorded; 不明 for older checks the register cannot place), the people with a
 * safety check recorded in the window and the checks of the window by status; for the whole node the
 * disaster declarations (a declaration covers 地区 of several municipalities at once). Counts only.
 */
public final class DisasterFigures implements UsageFigures {

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of(new Figure("disaster.declarations", "災害モードの宣言", number(c,
          "select count(*) from disaster_declarations where declared_at >= ? and declared_at < ?",
          w.fromText(), w.toText())));
    }
    String where = " from disaster_safety_checks where recorded_at >= ? and recorded_at < ? and "
        + UsageFigures.municipalityIs("municipality_code");
    List<Figure> out = new ArrayList<>();
    out.add(new Figure("disaster.people_checked", "安否確認できた人", number(c, "select count(distinct person_key)"
        + where, w.fromText(), w.toText(), municipality.get())));
    for (Object[] row : UsageFigures.pairs(c, "select status, count(*)" + where + " group by status order by status",
        w.fromText(), w.toText(), municipality.get())) {
      String status = (String) row[0];
      out.add(new Figure("disaster.safety_checks:" + status, "安否確認 "
          + SafetyStatus.fromCode(status).map(SafetyStatus::labelJa).orElse(status), (Long) row[1]));
    }
    return out;
  }
}
