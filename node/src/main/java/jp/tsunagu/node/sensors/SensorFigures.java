package jp.tsunagu.node.sensors;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagu.node.feature.UsageFigures;

/**
 * Watch-sensor alerts for the usage report, for the whole node (a household enrolled from the register
 * has no patient and so no municipality of record): the alerts raised in the window by kind. Counts only.
 */
public final class SensorFigures implements UsageFigures {

  @Override
  public List<Figure> count(Connection c, Window w, Optional<String> municipality) throws SQLException {
    if (municipality.isPresent()) {
      return List.of();
    }
    List<Figure> out = new ArrayList<>();
    for (Object[] row : UsageFigures.pairs(c, "select kind, count(*) from sensor_alerts where raised_ms >= ?"
        + " and raised_ms < ? group by kind order by kind", w.from().toEpochMilli(), w.to().toEpochMilli())) {
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
