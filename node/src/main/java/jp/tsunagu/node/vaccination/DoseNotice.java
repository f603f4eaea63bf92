package jp.tsunagu.node.vaccination;

import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import jp.tsunagu.node.care.TimelineNotices;

/**
 * The timeline text of a dose, the same on every node: e.g. 「予防接種 インフルエンザ 1回目（訪問）
 * 2026/11/02 10:30 メーカー 第一三共 ロット FK1234 接種者 … 経過観察 15分」, then who recorded it.
 */
final class DoseNotice {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm")
      .withZone(ZoneId.of("Asia/Tokyo"));

  private DoseNotice() {}

  static String body(Dose dose, String vaccineName, JsonObject author, boolean corrected) {
    Observation o = dose.observation();
    String observation = "経過観察 " + o.minutes() + "分" + (o.endedAt() == null ? "（観察中）"
        : "（" + TIME.format(o.endedAt()) + " 終了・観察 " + o.observer() + "）");
    return (corrected ? "【予防接種の記録を修正】" : "【予防接種】") + vaccineName + " " + dose.doseNumber() + "回目（"
        + dose.place().labelJa() + "）\n接種日時 " + TIME.format(dose.givenAt()) + "\nメーカー " + dose.manufacturer()
        + "・ロット " + dose.lotNumber() + "\n接種者 " + dose.vaccinator() + "・予診 体温 " + dose.screening().temperature()
        + "℃\n" + observation + "\n記録: " + TimelineNotices.describe(author);
  }
}
