package jp.tsunagu.node.vaccination;

import static jp.tsunagu.node.feature.UsageFigures.number;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Vaccinations for the usage report: doses given in the window to this node's patients of a
 * municipality, those given at home (訪問), and the doses by vaccine. Counts only.
 */
final class VaccinationFigures implements UsageFigures {

  private static final String OF_MUNICIPALITY = " from vaccination_doses d join patients p on p.id = d.patient_id"
      + " where p.municipality_code = ? and d.given_at >= ? and d.given_at < ?";

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isEmpty()) {
      return List.of();
    }
    String code = municipality.get();
    List<Figure> figures = new ArrayList<>();
    figures.add(new Figure("vaccination.doses", "予防接種", number(c, "select count(*)" + OF_MUNICIPALITY, code,
        w.fromText(), w.toText())));
    figures.add(new Figure("vaccination.home_doses", "予防接種（訪問）", number(c, "select count(*)" + OF_MUNICIPALITY
        + " and d.place = 'home'", code, w.fromText(), w.toText())));
    for (Object[] row : UsageFigures.pairs(c, "select v.name_ja, count(*) from vaccination_doses d"
        + " join patients p on p.id = d.patient_id join vaccination_vaccines v on v.code = d.vaccine"
        + " where p.municipality_code = ? and d.given_at >= ? and d.given_at < ? group by v.name_ja"
        + " order by min(v.position)", code, w.fromText(), w.toText())) {
      figures.add(new Figure("vaccination.doses_by_vaccine:" + row[0], "予防接種（" + row[0] + "）",
          ((Number) row[1]).longValue()));
    }
    return figures;
  }
}
