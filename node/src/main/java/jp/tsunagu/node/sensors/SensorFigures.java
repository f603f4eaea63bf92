package jp.tsunagu.node.sensors;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Watch-sensor alerts for the usage report, by kind: a household's alerts in the household's municipality
 * (its patient's, or the register's for a register person; 不明 for older households the record cannot
 * place), a gateway's own alerts (silent, no household) for the whole node. Counts only.
 */
public final class SensorFigures implements UsageFigures {

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    List<Object[]> rows = municipality.isEmpty()
        ? UsageFigures.pairs(c, "select kind, count(*) from sensor_alerts where raised_ms >= ? and raised_ms < ?"
            + " and household_id is null group by kind order by kind", w.from().toEpochMilli(), w.to().toEpochMilli())
        : UsageFigures.pairs(c, "select a.kind, count(*) from sensor_alerts a join sensor_households h"
            + " on h.id = a.household_id where a.raised_ms >= ? and a.raised_ms < ? and "
            + UsageFigures.municipalityIs("h.municipality_code") + " group by a.kind order by a.kind",
            w.from().toEpochMilli(), w.to().toEpochMilli(), municipality.get());
    List<Figure> out = new ArrayList<>();
    for (Object[] row : rows) {
      out.add(new Figure("sensors.alerts:" + row[0], "センサー通報 " + label((String) row[0]), (Long) row[1]));
    }
    return out;
  }

  private static String label(String kind) {
    return switch (kind) {
      case "no_activity" -> "無活動";
      case "heat" -> "高温";
      case "cold" -> "低温";
      case "device_silent" -> "センサー無応答";
      case "gateway_silent" -> "ゲートウェイ無応答";
      default -> "電池残量低下";
    };
  }
}
